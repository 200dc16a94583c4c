import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';

// The User and Team shapes as src/emulator/README.md ("Users and teams") documents them, from the v1
// API (astro-cli's generated client astro-client-v1). The project's schema (schemas/astro-api.schema.json)
// holds only what the client reads of users and teams (the *Answer $defs), so the conformance test checks
// the whole documented objects against these.

const id = { type: 'string', pattern: '^c[0-9a-z]{24}$' };
const time = { type: 'string', format: 'date-time' };
const name = { type: 'string', minLength: 1 };
const workspaceRole = {
  type: 'object', required: ['workspaceId', 'role'], additionalProperties: false,
  properties: { workspaceId: id, role: name },
};
const deploymentRole = {
  type: 'object', required: ['deploymentId', 'role'], additionalProperties: false,
  properties: { deploymentId: id, role: name },
};
const dagRole = {
  type: 'object', required: ['deploymentId', 'role'], additionalProperties: false,
  properties: { deploymentId: id, role: name, dagId: name, dagTag: name },
  oneOf: [{ required: ['dagId'] }, { required: ['dagTag'] }],
};
const orgRoles = ['ORGANIZATION_OWNER', 'ORGANIZATION_BILLING_ADMIN', 'ORGANIZATION_MEMBER', 'ORGANIZATION_OBSERVE_ADMIN', 'ORGANIZATION_OBSERVE_MEMBER'];
const roleLists = {
  workspaceRoles: { type: 'array', items: workspaceRole },
  deploymentRoles: { type: 'array', items: deploymentRole },
  dagRoles: { type: 'array', items: dagRole },
};
const profile = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } };

const User = {
  type: 'object',
  required: ['id', 'username', 'fullName', 'avatarUrl', 'status', 'createdAt', 'updatedAt'],
  properties: {
    id, username: name, fullName: { type: 'string' }, avatarUrl: { type: 'string' },
    status: { enum: ['ACTIVE', 'INACTIVE', 'PENDING', 'BANNED'] },
    organizationRole: { enum: [...orgRoles, null] },
    ...roleLists, createdAt: time, updatedAt: time,
  },
};
const Team = {
  type: 'object',
  required: ['id', 'name', 'isIdpManaged', 'organizationId', 'organizationRole', 'createdAt', 'updatedAt'],
  properties: {
    id, name, description: { type: 'string' }, isIdpManaged: { type: 'boolean' }, organizationId: id,
    organizationRole: { enum: orgRoles }, rolesCount: { type: 'integer', minimum: 0 },
    ...roleLists, createdAt: time, updatedAt: time, createdBy: profile, updatedBy: profile,
  },
};
const paginated = (key: string, item: object): object => ({
  type: 'object',
  required: [key, 'totalCount', 'offset', 'limit'],
  properties: { [key]: { type: 'array', items: item }, totalCount: { type: 'integer' }, offset: { type: 'integer' }, limit: { type: 'integer' } },
});
const SubjectRoles = {
  type: 'object',
  properties: { organizationRole: { type: ['string', 'null'] }, ...roleLists },
};

const SHAPES = { User, Team, UsersPaginated: paginated('users', User), TeamsPaginated: paginated('teams', Team), SubjectRoles };
export type SubjectShape = keyof typeof SHAPES;

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormatsModule.default(ajv);
const compiled = Object.fromEntries(Object.entries(SHAPES).map(([k, s]) => [k, ajv.compile(s)]));

/** Asserts `data` has the documented shape `def`. */
export function expectSubjectShape(def: SubjectShape, data: unknown): void {
  const validate = compiled[def];
  if (validate === undefined) throw new Error(`no shape ${def}`);
  validate(data);
  expect(validate.errors ?? [], `${def}: ${ajv.errorsText(validate.errors)}`).toEqual([]);
}
