import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import schema from '../../schemas/astro-api.schema.json' with { type: 'json' };
import { isRecord } from '../util/is-record.ts';

// Every 2xx answer is checked here, at the boundary, before any code uses it: by route, so no caller
// can forget. A malformed answer (`null`, `{}`, an array, an item without `id`, `roles: [null]`) is an
// error naming the request, never an empty organization and never a TypeError further in.
// Fields the API may send as `null` (Go encodes an empty slice so) are accepted, then read as absent.

/** The HTTP methods the client sends (here, not in http.ts, so that http.ts → answers.ts is the only edge). */
export type Method = 'GET' | 'POST';

const ROUTES: { method: Method; path: RegExp; def: string }[] = [
  { method: 'GET', path: /^\/organizations\/[^/]+\/tokens$/, def: 'TokensAnswer' },
  { method: 'GET', path: /^\/organizations\/[^/]+\/tokens\/[^/]+$/, def: 'TokenAnswer' },
  { method: 'POST', path: /^\/organizations\/[^/]+\/tokens\/[^/]+\/roles$/, def: 'RolesPostAnswer' },
  { method: 'GET', path: /^\/organizations\/[^/]+\/deployments$/, def: 'DeploymentsAnswer' },
  { method: 'GET', path: /^\/organizations\/[^/]+\/workspaces$/, def: 'WorkspacesAnswer' },
  { method: 'GET', path: /^\/organizations\/[^/]+\/roles$/, def: 'RolesAnswer' },
  { method: 'GET', path: /^\/organizations\/[^/]+\/users$/, def: 'UsersAnswer' },
  { method: 'GET', path: /^\/organizations\/[^/]+\/users\/[^/]+$/, def: 'UserAnswer' },
  { method: 'POST', path: /^\/organizations\/[^/]+\/users\/[^/]+\/roles$/, def: 'SubjectRolesAnswer' },
  { method: 'GET', path: /^\/organizations\/[^/]+\/teams$/, def: 'TeamsAnswer' },
  { method: 'GET', path: /^\/organizations\/[^/]+\/teams\/[^/]+$/, def: 'TeamAnswer' },
  { method: 'POST', path: /^\/organizations\/[^/]+\/teams\/[^/]+\/roles$/, def: 'SubjectRolesAnswer' },
];

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function validator(def: string): ValidateFunction {
  let v = compiled.get(def);
  if (v === undefined) {
    // Formats are not checked: a date the API writes differently must not fail a read that ignores it.
    ajv ??= new Ajv2020({ strict: true, validateFormats: false, validateSchema: false }).addSchema(schema);
    v = ajv.getSchema(`astro-api.schema.json#/$defs/${def}`);
    if (v === undefined) throw new Error(`no $def ${def} in schemas/astro-api.schema.json`);
    compiled.set(def, v);
  }
  return v;
}

export type AnswerCheck = { ok: true; data: unknown } | { ok: false; problem: string };

/** Checks a parsed 2xx body against the schema of its route, and reads `null` fields as absent. */
export function checkAnswer(method: Method, path: string, data: unknown): AnswerCheck {
  const route = ROUTES.find((r) => r.method === method && r.path.test(path));
  if (route === undefined) {
    return isRecord(data) ? { ok: true, data: withoutNulls(data) } : { ok: false, problem: `the answer is ${kind(data)}, not an object` };
  }
  const validate = validator(route.def);
  if (!validate(data)) return { ok: false, problem: describe(data, validate.errors ?? []) };
  if (data === null) return { ok: true, data: {} }; // the roles POST may answer null: it shows nothing
  const clean = withoutNulls(data);
  if (route.def === 'RolesAnswer' && isRecord(clean) && Array.isArray(clean['roles'])) {
    for (const role of clean['roles']) if (isRecord(role)) role['restrictedWorkspaceIds'] ??= [];
  }
  return { ok: true, data: clean };
}

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** The first problem only, by path in the answer: values are never quoted (they are untrusted text). */
function describe(data: unknown, errors: ErrorObject[]): string {
  const e = errors[0];
  if (e === undefined || e.instancePath === '') {
    if (!isRecord(data)) return `the answer is ${kind(data)}, not an object`;
  }
  if (e === undefined) return 'the answer does not have the documented shape';
  const where = e.instancePath === '' ? 'the answer' : `the answer's ${e.instancePath}`;
  return `${where} ${e.message ?? 'is not valid'}`;
}

/** A copy in which every object key holding `null` is left out (`null` means "not sent" here). */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isRecord(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(v)) if (value !== null && k !== '__proto__') out[k] = withoutNulls(value);
  return out;
}
