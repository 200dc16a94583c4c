import { parse } from 'yaml';
import type { ActualTeam, ActualUser } from '../astro/actual.ts';
import type { Deployment } from '../astro/types.ts';
import { EMAIL_PATTERN } from '../manifest/raw.ts';
import { comment, countBy, nameScalar, sharedOrUnwritable, type IdCheck, type RoleScalar } from './export-scalars.ts';
import { emailKey } from '../util/email-key.ts';

// `export`'s users and teams under a deployment: `user: <email>` / `team: <name>` where that reference
// reads back as exactly this one subject, else `userId:` / `teamId:` with the email or name in a comment.
// A list is written only where the deployment has a binding of its kind (or `managed`: the --like manifest
// manages that kind there): the manifest then manages users (teams) where someone holds a role, as they
// are now, and leaves the other deployments alone.

const EMAIL = new RegExp(EMAIL_PATTERN);
/** An everyday address, written plain (`jane.doe+ops@example.com`); any other is written as nameScalar writes it. */
const PLAIN_EMAIL = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*@[A-Za-z0-9][A-Za-z0-9.-]*$/;

/** The scalar for a username, or undefined when the schema or YAML cannot carry it. */
function emailScalar(s: string): string | undefined {
  if (!EMAIL.test(s)) return undefined;
  return PLAIN_EMAIL.test(s) && parse(s) === s ? s : nameScalar(s);
}

interface Bound<S> { subject: S; role: string }

/** The subjects holding a role on the deployment; a second role for one subject there is a problem. */
function boundOn<S extends { id: string; deploymentRoles: { deploymentId: string; role: string }[] }>(
  subjects: readonly S[],
  d: Deployment,
  describe: (s: S) => string,
  problems: string[],
): Bound<S>[] {
  return subjects.flatMap((s) => {
    const entries = s.deploymentRoles.filter((r) => r.deploymentId === d.id);
    if (entries.length > 1) {
      // A manifest gives one role per subject and deployment: which of these to keep is not export's call.
      problems.push(`${describe(s)} holds ${entries.length} roles on deployment ${comment(d.name)} (${comment(d.id)}); a manifest carries one`);
    }
    return entries.slice(0, 1).map((r) => ({ subject: s, role: r.role }));
  });
}

/** Counts of each username compared as the planner compares them (ignoring case), over the whole organization. */
export const userNameCounts = (users: readonly ActualUser[]): Map<string, number> => countBy(users, (u) => emailKey(u.username));
/** Counts of each exact team name over the whole organization. */
export const teamNameCounts = (teams: readonly ActualTeam[]): Map<string, number> => countBy(teams, (t) => t.name);

/** What differs between the `users:` and `teams:` lists: the key, the order, and how one entry is referenced. */
interface ListOf<S> {
  key: 'users' | 'teams';
  describe(s: S): string;
  sortKey(s: S): string;
  /** The entry's first line: by email or name when that reads back as this one subject, else by ID. */
  reference(s: S): string;
}

/** A deployment's list of one kind, or nothing when no subject of that kind holds a role on it (`[]` when `managed`). */
function subjectLines<S extends { id: string; deploymentRoles: { deploymentId: string; role: string }[] }>(
  d: Deployment,
  subjects: readonly S[],
  list: ListOf<S>,
  role: RoleScalar,
  problems: string[],
  managed: boolean,
): string[] {
  const bound = boundOn(subjects, d, list.describe, problems).sort(
    (a, b) => list.sortKey(a.subject).localeCompare(list.sortKey(b.subject)) || a.subject.id.localeCompare(b.subject.id),
  );
  if (bound.length === 0) return managed ? [`        ${list.key}: []`] : [];
  return [`        ${list.key}:`, ...bound.flatMap(({ subject, role: r }) => [list.reference(subject), `            role: ${role(r)}`])];
}

/** The `users:` list of a deployment, or nothing when no user holds a role on it. */
export function userLines(
  d: Deployment,
  users: readonly ActualUser[],
  names: Map<string, number>,
  id: IdCheck,
  role: RoleScalar,
  problems: string[],
  managed = false,
): string[] {
  return subjectLines(d, users, {
    key: 'users',
    describe: (u) => `user ${comment(u.username)} (${comment(u.id)})`,
    sortKey: (u) => emailKey(u.username),
    reference: (u) => {
      const count = names.get(emailKey(u.username));
      // The schema takes an email (one @, no white space); anything else is written by ID.
      const email = count === 1 ? emailScalar(u.username) : undefined;
      // Worth knowing when reading the manifest: the planner points these users out too.
      const status = u.status !== 'ACTIVE' ? `status ${comment(u.status)}` : undefined;
      if (email !== undefined) return `          - user: ${email}  # ${comment(id('user', u.id))}${status ? ` (${status})` : ''}`;
      const why = (count ?? 0) > 1 ? `username shared by ${count} users when compared ignoring case` : 'username not usable in a manifest';
      return `          - userId: ${id('user', u.id)}  # ${comment(u.username)} (${[why, ...(status ? [status] : [])].join('; ')})`;
    },
  }, role, problems, managed);
}

/** The `teams:` list of a deployment, or nothing when no team holds a role on it. */
export function teamLines(
  d: Deployment,
  teams: readonly ActualTeam[],
  names: Map<string, number>,
  id: IdCheck,
  role: RoleScalar,
  problems: string[],
  managed = false,
): string[] {
  return subjectLines(d, teams, {
    key: 'teams',
    describe: (t) => `team ${comment(t.name)} (${comment(t.id)})`,
    sortKey: (t) => t.name,
    reference: (t) => {
      const name = names.get(t.name) === 1 ? nameScalar(t.name) : undefined;
      const idp = t.isIdpManaged ? 'managed by the identity provider' : undefined;
      return name !== undefined
        ? `          - team: ${name}  # ${comment(id('team', t.id))}${idp ? ` (${idp})` : ''}`
        : `          - teamId: ${id('team', t.id)}  # ${comment(t.name)} (${[sharedOrUnwritable(names.get(t.name), 'teams'), ...(idp ? [idp] : [])].join('; ')})`;
    },
  }, role, problems, managed);
}
