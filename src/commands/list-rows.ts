import type { ActualTeam, ActualToken, ActualUser } from '../astro/actual.ts';
import { formatTable, relativeTime } from '../render/table.ts';
import { emailKey } from '../util/email-key.ts';

// The rows `list` shows for one deployment, per kind: the columns of the astro CLI's
// `astro deployment token workspace-token list`, `astro deployment user list` and `astro deployment team list`,
// and the JSON objects of --format json (keys always in this order). Every cell is escaped by formatTable;
// JSON text by safeJson.

export interface TokenRow { token: ActualToken; role: string }
export interface UserRow { user: ActualUser; role: string }
export interface TeamRow { team: ActualTeam; role: string }

const byName = (a: string, b: string): number => a.localeCompare(b);

/** Tokens holding a role on the deployment (workspace tokens only unless `allScopes`), by name then ID. */
export function tokenRows(tokens: readonly ActualToken[], deploymentId: string, allScopes: boolean): TokenRow[] {
  return tokens
    .filter((t) => allScopes || t.scope === 'WORKSPACE')
    .flatMap((t) => {
      const entry = t.roles.find((r) => r.entityType === 'DEPLOYMENT' && r.entityId === deploymentId);
      return entry ? [{ token: t, role: entry.role }] : [];
    })
    .sort((a, b) => byName(a.token.name, b.token.name) || byName(a.token.id, b.token.id));
}

/** One row per deploymentRoles entry on the deployment (a subject with two shows twice: nothing is hidden). */
function subjectRows<S extends { id: string; deploymentRoles: { deploymentId: string; role: string }[] }>(
  subjects: readonly S[],
  deploymentId: string,
): { subject: S; role: string }[] {
  return subjects.flatMap((s) => s.deploymentRoles.filter((r) => r.deploymentId === deploymentId).map((r) => ({ subject: s, role: r.role })));
}

/** Users holding a role on the deployment, by email (ignoring case) then ID. */
export function userRows(users: readonly ActualUser[], deploymentId: string): UserRow[] {
  return subjectRows(users, deploymentId)
    .map(({ subject, role }) => ({ user: subject, role }))
    .sort((a, b) => byName(emailKey(a.user.username), emailKey(b.user.username)) || byName(a.user.id, b.user.id) || byName(a.role, b.role));
}

/** Teams holding a role on the deployment, by name then ID. */
export function teamRows(teams: readonly ActualTeam[], deploymentId: string): TeamRow[] {
  return subjectRows(teams, deploymentId)
    .map(({ subject, role }) => ({ team: subject, role }))
    .sort((a, b) => byName(a.team.name, b.team.name) || byName(a.team.id, b.team.id) || byName(a.role, b.role));
}

function createdBy(t: ActualToken): string {
  return t.createdBy?.fullName ?? t.createdBy?.apiTokenName ?? '';
}

/** CREATE DATE as the astro CLI prints it (RFC 3339, whole seconds, UTC); a value that is no date as given. */
export function createDate(iso: string | undefined): string {
  if (iso === undefined) return '';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const tokenJson = ({ token, role }: TokenRow) => ({
  id: token.id,
  name: token.name,
  description: token.description,
  scope: token.scope,
  deploymentRole: role,
  createdAt: token.createdAt,
  createdBy: createdBy(token),
});

export const userJson = ({ user, role }: UserRow) => ({
  id: user.id,
  email: user.username,
  fullName: user.fullName ?? '',
  status: user.status,
  deploymentRole: role,
  createdAt: user.createdAt ?? null,
});

export const teamJson = ({ team, role }: TeamRow) => ({
  id: team.id,
  name: team.name,
  description: team.description ?? '',
  deploymentRole: role,
  isIdpManaged: team.isIdpManaged,
  createdAt: team.createdAt ?? null,
});

/** The seed's token table. */
export function tokenTable(rows: readonly TokenRow[], now: number): string {
  return formatTable(
    ['ID', 'NAME', 'DESCRIPTION', 'SCOPE', 'DEPLOYMENT ROLE', 'CREATED', 'CREATED BY'],
    rows.map(({ token, role }) => [token.id, token.name, token.description, token.scope, role, relativeTime(token.createdAt, now), createdBy(token)]),
  );
}

/** `astro deployment user list`'s columns. */
export function userTable(rows: readonly UserRow[]): string {
  return formatTable(
    ['FULLNAME', 'EMAIL', 'ID', 'DEPLOYMENT ROLE', 'CREATE DATE'],
    rows.map(({ user, role }) => [user.fullName ?? '', user.username, user.id, role, createDate(user.createdAt)]),
  );
}

/** `astro deployment team list`'s columns; ROLE is the team's role on this deployment. */
export function teamTable(rows: readonly TeamRow[]): string {
  return formatTable(
    ['ID', 'ROLE', 'NAME', 'DESCRIPTION', 'CREATE DATE'],
    rows.map(({ team, role }) => [team.id, role, team.name, team.description ?? '', createDate(team.createdAt)]),
  );
}
