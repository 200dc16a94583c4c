import type { Workspace } from '../astro/types.ts';
import type { ActualToken } from '../astro/actual.ts';
import type { BindingKind, Reference, TokenKind } from '../manifest/types.ts';
import { didYouMean } from '../util/closest.ts';
import { tokenWorkspaceIds } from './index-actual.ts';
import { emailKey } from '../util/email-key.ts';
import type { ActualIndex } from './index-actual.ts';
import type { Subject, TeamSubject, TokenSubject, UserSubject } from './subjects.ts';
import { quote as q } from '../util/sanitize.ts';

// One binding's subject reference (name or ID) → the live token, user or team. Token and team names
// match exactly, user emails case-insensitively; a name several subjects share is an error that lists
// their IDs, and an unknown one suggests near names.

export type Found<T> = { ok: T } | { error: string };

export const ws = (w: Workspace): string => `workspace ${q(w.name)} (${w.id})`;
export const tok = (t: ActualToken): string => `token ${q(t.name)} (${t.id})`;

export function ambiguous(what: string, name: string, ids: string[], key: string): string {
  return `${ids.length} ${what} are named ${q(name)}: ${ids.sort().join(', ')}; write \`${key}:\` to pick one`;
}

const DEPLOYMENT_SCOPED =
  'deployment-scoped tokens belong to their deployment and are not managed by astro-access';

/** Why a token of the wrong scope or workspace cannot stand in this list. */
function misplaced(t: ActualToken, kind: TokenKind, w: Workspace, ix: ActualIndex): string | null {
  if (t.scope === 'DEPLOYMENT') return `${tok(t)} is deployment-scoped: ${DEPLOYMENT_SCOPED}`;
  if (kind === 'workspace' && t.scope === 'ORGANIZATION') {
    return `${tok(t)} is an organization token: list it under organizationTokens`;
  }
  if (kind === 'organization' && t.scope === 'WORKSPACE') {
    return `${tok(t)} is a workspace token: list it under workspaceTokens`;
  }
  if (kind === 'workspace' && !tokenWorkspaceIds(t).includes(w.id)) {
    const owners = tokenWorkspaceIds(t).map((id) => { const o = ix.workspacesById.get(id); return o ? ws(o) : id; });
    return `workspace ${tok(t)} belongs to ${owners.join(', ') || 'no workspace'}, not to ${ws(w)}: a workspace token can only hold roles on deployments of its own workspace`;
  }
  return null;
}

function resolveToken(ref: Reference, kind: TokenKind, w: Workspace, ix: ActualIndex): Found<ActualToken> {
  if (ref.id !== undefined) {
    const t = ix.tokensById.get(ref.id);
    if (!t) return { error: `token ID ${ref.id} not found in the organization` };
    const why = misplaced(t, kind, w, ix);
    return why ? { error: why } : { ok: t };
  }
  const name = ref.name ?? '';
  const found =
    (kind === 'workspace' ? ix.workspaceTokensByName.get(w.id)?.get(name) : ix.orgTokensByName.get(name)) ?? [];
  if (found.length === 1 && found[0]) return { ok: found[0] };
  const what = kind === 'workspace' ? `workspace tokens in ${ws(w)}` : 'organization tokens';
  if (found.length > 1) return { error: ambiguous(what, name, found.map((t) => t.id), 'tokenId') };
  // Not in the right scope: say where the name does exist, else suggest near names of the right scope.
  const other = (ix.tokensByName.get(name) ?? []).map((t) => misplaced(t, kind, w, ix)).filter((m) => m !== null);
  if (other.length > 0) return { error: [...new Set(other)].sort().join('; ') };
  const pool = kind === 'workspace' ? (ix.workspaceTokens.get(w.id) ?? []) : ix.orgTokens;
  const scope = kind === 'workspace' ? `workspace token ${q(name)} not found in ${ws(w)}` : `organization token ${q(name)} not found`;
  return { error: scope + didYouMean(name, pool.map((t) => t.name)) };
}

function resolveUser(ref: Reference, ix: ActualIndex): Found<UserSubject> {
  const users = ix.users;
  if (users === undefined) return { error: notRead('users') };
  if (ref.id !== undefined) {
    const u = users.byId.get(ref.id);
    return u ? { ok: u } : { error: `user ID ${ref.id} not found in the organization` };
  }
  const name = ref.name ?? '';
  const found = users.byName.get(emailKey(name)) ?? [];
  if (found.length === 1 && found[0]) return { ok: found[0] };
  if (found.length > 1) {
    const ids = found.map((u) => u.id).sort().join(', ');
    return { error: `${found.length} users have the username ${q(name)} when compared case-insensitively: ${ids}; write \`userId:\` to pick one` };
  }
  return { error: `user ${q(name)} not found in the organization${didYouMean(name, users.all.map((u) => u.name))}` };
}

function resolveTeam(ref: Reference, ix: ActualIndex): Found<TeamSubject> {
  const teams = ix.teams;
  if (teams === undefined) return { error: notRead('teams') };
  if (ref.id !== undefined) {
    const t = teams.byId.get(ref.id);
    return t ? { ok: t } : { error: `team ID ${ref.id} not found in the organization` };
  }
  const name = ref.name ?? '';
  const found = teams.byName.get(name) ?? [];
  if (found.length === 1 && found[0]) return { ok: found[0] };
  if (found.length > 1) return { error: ambiguous('teams', name, found.map((t) => t.id), 'teamId') };
  return { error: `team ${q(name)} not found in the organization${didYouMean(name, teams.all.map((t) => t.name))}` };
}

/**
 * A manifest that lists users or teams needs them read with the rest of the live state; planning without
 * them would see no live bindings and propose to add what exists. A bug in the caller, said plainly.
 */
export function notRead(what: 'users' | 'teams'): string {
  return `the manifest lists ${what}, but the live state given to the planner holds no ${what} (they were not read); this is a bug in astro-access, please report it`;
}

/** The live subject a binding of `kind` on a deployment of workspace `w` refers to. */
export function resolveSubject(ref: Reference, kind: BindingKind, w: Workspace, ix: ActualIndex): Found<Subject> {
  if (kind === 'user') return resolveUser(ref, ix);
  if (kind === 'team') return resolveTeam(ref, ix);
  const t = resolveToken(ref, kind, w, ix);
  if ('error' in t) return t;
  const s: TokenSubject | undefined = ix.tokenSubjects.get(t.ok.id);
  // Every token a token list can name has a scope the index made a subject for; say so if not.
  return s ? { ok: s } : { error: `${tok(t.ok)} cannot hold deployment roles here` };
}
