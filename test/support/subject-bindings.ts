import type { Desired, Reference } from '../../src/manifest/types.ts';

// The user and team bindings a loaded manifest declares and those the organization holds, as comparable
// strings `deploymentId user|team subjectId role`: export's output, read back with the manifest loader,
// must declare exactly what is live. References resolve as the manifest documents them (emails ignoring
// case, team names exactly, names shared by several subjects not at all), independently of the planner.

type Named = { id: string; name: string };
type Roles = { deploymentRoles?: { deploymentId: string; role: string }[] };
/** What is needed of the live state: an Actual, or the emulator's state. */
export interface Live {
  workspaces: Named[];
  deployments: (Named & { workspaceId: string })[];
  users?: ({ id: string; username: string } & Roles)[];
  teams?: (Named & Roles)[];
}

function resolve(ref: Reference, items: readonly Named[], fold: (s: string) => string = (s) => s): string {
  if (ref.id !== undefined) return items.some((i) => i.id === ref.id) ? ref.id : `unknown id ${ref.id}`;
  const found = items.filter((i) => fold(i.name) === fold(ref.name ?? ''));
  return found.length === 1 ? found[0]!.id : `${found.length} named ${JSON.stringify(ref.name)}`;
}

export function declaredSubjectBindings(desired: Desired, actual: Live): string[] {
  const users = (actual.users ?? []).map((u) => ({ id: u.id, name: u.username }));
  const teams = (actual.teams ?? []).map((t) => ({ id: t.id, name: t.name }));
  const out: string[] = [];
  for (const d of desired.deployments) {
    const workspaceId = resolve(d.workspace, actual.workspaces);
    const deploymentId = resolve(d.deployment, actual.deployments.filter((x) => x.workspaceId === workspaceId));
    for (const b of d.users ?? []) out.push(`${deploymentId} user ${resolve(b.subject, users, (s) => s.toLowerCase())} ${b.role}`);
    for (const b of d.teams ?? []) out.push(`${deploymentId} team ${resolve(b.subject, teams)} ${b.role}`);
  }
  return out.sort();
}

/** Every deploymentRoles entry of the organization's users and teams on deployments of `workspaceIds` (default all). */
export function liveSubjectBindings(actual: Live, workspaceIds?: readonly string[]): string[] {
  const deployments = new Set(actual.deployments.filter((d) => !workspaceIds || workspaceIds.includes(d.workspaceId)).map((d) => d.id));
  const entries = (type: string, subjects: readonly ({ id: string } & Roles)[]) =>
    subjects.flatMap((s) => (s.deploymentRoles ?? []).filter((r) => deployments.has(r.deploymentId)).map((r) => `${r.deploymentId} ${type} ${s.id} ${r.role}`));
  return [...entries('user', actual.users ?? []), ...entries('team', actual.teams ?? [])].sort();
}
