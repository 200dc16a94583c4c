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

/** How the planner matches a manifest's email to a username: ignoring case. */

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
  const bound = boundOn(users, d, (u) => `user ${comment(u.username)} (${comment(u.id)})`, problems).sort(
    (a, b) => emailKey(a.subject.username).localeCompare(emailKey(b.subject.username)) || a.subject.id.localeCompare(b.subject.id),
  );
  if (bound.length === 0) return managed ? ['        users: []'] : [];
  const lines = ['        users:'];
  for (const { subject: u, role: r } of bound) {
    const count = names.get(emailKey(u.username));
    // The schema takes an email (one @, no white space); anything else is written by ID.
    const email = count === 1 ? emailScalar(u.username) : undefined;
    // Worth knowing when reading the manifest: the planner points these users out too.
    const status = u.status !== 'ACTIVE' ? `status ${comment(u.status)}` : undefined;
    const why = (count ?? 0) > 1 ? `username shared by ${count} users when compared ignoring case` : 'username not usable in a manifest';
    lines.push(
      email !== undefined
        ? `          - user: ${email}  # ${comment(id('user', u.id))}${status ? ` (${status})` : ''}`
        : `          - userId: ${id('user', u.id)}  # ${comment(u.username)} (${[why, ...(status ? [status] : [])].join('; ')})`,
      `            role: ${role(r)}`,
    );
  }
  return lines;
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
  const bound = boundOn(teams, d, (t) => `team ${comment(t.name)} (${comment(t.id)})`, problems).sort(
    (a, b) => a.subject.name.localeCompare(b.subject.name) || a.subject.id.localeCompare(b.subject.id),
  );
  if (bound.length === 0) return managed ? ['        teams: []'] : [];
  const lines = ['        teams:'];
  for (const { subject: t, role: r } of bound) {
    const name = names.get(t.name) === 1 ? nameScalar(t.name) : undefined;
    const idp = t.isIdpManaged ? 'managed by the identity provider' : undefined;
    lines.push(
      name !== undefined
        ? `          - team: ${name}  # ${comment(id('team', t.id))}${idp ? ` (${idp})` : ''}`
        : `          - teamId: ${id('team', t.id)}  # ${comment(t.name)} (${[sharedOrUnwritable(names.get(t.name), 'teams'), ...(idp ? [idp] : [])].join('; ')})`,
      `            role: ${role(r)}`,
    );
  }
  return lines;
}
