import { AstroApiError } from '../errors.ts';
import type { ActualRoleLists, ActualTeam, ActualUser } from './actual.ts';
import type { DagRoleEntry, SubjectRoleSet, Team, UpdateSubjectRolesRequest, User } from './types.ts';

// Users and teams between the wire and the rest of the program. Lenient in what is read (absent or
// null lists are [], a user's absent organizationRole is null; the answer was checked by answers.ts);
// strict in what is sent: organizationRole always, the three lists always arrays, each entry with its
// documented fields only, so that a roles POST never clears a list by leaving it out.

export function normalizeUser(user: User): ActualUser {
  return { ...user, organizationRole: user.organizationRole ?? null, ...roleLists(user) };
}

export function normalizeTeam(team: Team): ActualTeam {
  return { ...team, ...roleLists(team) };
}

function roleLists(s: SubjectRoleSet): ActualRoleLists {
  return {
    workspaceRoles: Array.isArray(s.workspaceRoles) ? s.workspaceRoles : [],
    deploymentRoles: Array.isArray(s.deploymentRoles) ? s.deploymentRoles : [],
    dagRoles: Array.isArray(s.dagRoles) ? s.dagRoles : [],
  };
}

/** The body of a user's or team's roles POST exactly as sent. */
export type SubjectRolesBody = { organizationRole: string } & ActualRoleLists;

/**
 * The body to send for `body`, or an error naming the request (nothing is sent) when it cannot be sent
 * as it is meant: without an organizationRole (the API requires one, and leaving it out would not keep
 * the one held), a list that is not an array, an entry without its IDs and role, a DAG entry without
 * exactly one of dagId and dagTag. Undefined lists are sent as [].
 */
export function subjectRolesBody(path: string, body: UpdateSubjectRolesRequest): SubjectRolesBody {
  const problems: string[] = [];
  const text = (o: unknown, key: string): string | undefined => {
    const v = typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined;
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const list = <T>(field: keyof SubjectRoleSet, entry: (o: unknown, at: string) => T | undefined): T[] => {
    const v: unknown = body[field];
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      problems.push(`${field} is not a list`);
      return [];
    }
    return v.flatMap((o, i) => {
      const e = entry(o, `${field}[${i}]`);
      return e === undefined ? [] : [e];
    });
  };
  const need = (at: string, ...keys: [string, string | undefined][]): boolean => {
    const missing = keys.filter(([, v]) => v === undefined).map(([k]) => k);
    if (missing.length > 0) problems.push(`${at} has no ${missing.join(' or ')}`);
    return missing.length === 0;
  };
  const organizationRole = text(body, 'organizationRole');
  if (organizationRole === undefined) problems.push('there is no organizationRole (the API requires one)');
  const workspaceRoles = list('workspaceRoles', (o, at) => {
    const workspaceId = text(o, 'workspaceId');
    const role = text(o, 'role');
    return need(at, ['workspaceId', workspaceId], ['role', role]) ? { workspaceId: workspaceId ?? '', role: role ?? '' } : undefined;
  });
  const deploymentRoles = list('deploymentRoles', (o, at) => {
    const deploymentId = text(o, 'deploymentId');
    const role = text(o, 'role');
    return need(at, ['deploymentId', deploymentId], ['role', role]) ? { deploymentId: deploymentId ?? '', role: role ?? '' } : undefined;
  });
  const dagRoles = list('dagRoles', (o, at): DagRoleEntry | undefined => {
    const deploymentId = text(o, 'deploymentId');
    const role = text(o, 'role');
    const dagId = text(o, 'dagId');
    const dagTag = text(o, 'dagTag');
    if (!need(at, ['deploymentId', deploymentId], ['role', role])) return undefined;
    if ((dagId === undefined) === (dagTag === undefined)) {
      problems.push(`${at} needs exactly one of dagId and dagTag`);
      return undefined;
    }
    return { deploymentId: deploymentId ?? '', role: role ?? '', ...(dagId !== undefined ? { dagId } : { dagTag: dagTag ?? '' }) };
  });
  if (organizationRole === undefined || problems.length > 0) {
    throw new AstroApiError({ message: `Astro API POST ${path} not sent: ${problems.join('; ')}`, method: 'POST', path, attempts: 0 });
  }
  return { organizationRole, workspaceRoles, deploymentRoles, dagRoles };
}
