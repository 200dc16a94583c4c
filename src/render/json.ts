import type { Plan, PlanAction, PlanBinding, PlanDagRole, PlanDeployment, PlanDeploymentRef, PlanExpiration, PlanSubjectRef } from '../plan/types.ts';

// The saved plan is read by people (diffs in review) and by `apply PLAN.json`: keys come out in the
// order the type declares them, whatever order the object was built in. Keys the type does not know
// (a newer field) are kept, after the known ones, rather than dropped silently.

import { safeJson } from '../util/sanitize.ts';

type Obj = Record<string, unknown>;

function ordered<T extends object>(value: T, keys: readonly (keyof T & string)[], nested: Partial<Record<keyof T, (v: never) => unknown>> = {}): Obj {
  const src = value as Obj;
  const out: Obj = {};
  for (const k of keys) {
    if (!(k in src)) continue;
    const fix = nested[k] as ((v: unknown) => unknown) | undefined;
    out[k] = fix && src[k] !== null && src[k] !== undefined ? fix(src[k]) : src[k];
  }
  for (const k of Object.keys(src)) if (!(k in out)) out[k] = src[k];
  return out;
}

const deploymentRef = (d: PlanDeploymentRef): Obj => ordered(d, ['id', 'name', 'workspaceId', 'workspaceName']);
const subjectRef = (t: PlanSubjectRef): Obj => ordered(t, ['type', 'id', 'name', 'scope']);

const action = (a: PlanAction): Obj =>
  ordered(a, ['action', 'deployment', 'subject', 'before', 'after', 'reason', 'source', 'expires', 'orphanedDagRoles'], {
    deployment: deploymentRef,
    subject: subjectRef,
    orphanedDagRoles: (list: PlanDagRole[]) => list.map((r) => ordered(r, ['entityType', 'entityId', 'role'])),
  });

const binding = (b: PlanBinding): Obj =>
  ordered(b, ['deployment', 'subject', 'role', 'reason'], { deployment: deploymentRef, subject: subjectRef });

const expiration = (e: PlanExpiration): Obj =>
  ordered(e, ['deployment', 'subject', 'role', 'expires', 'endsAt', 'expired', 'source'], { deployment: deploymentRef, subject: subjectRef });

const deployment = (d: PlanDeployment): Obj =>
  ordered(d, ['id', 'name', 'workspaceId', 'workspaceName', 'managedKinds', 'existing', 'desired', 'explicitEmpty', 'source']);

/** Subject IDs sorted, so the same plan always serializes to the same bytes. */
function fingerprints(t: Plan['tokens']): Obj {
  const out: Obj = {};
  for (const id of Object.keys(t).sort()) {
    const entry = t[id];
    out[id] = entry ? ordered(entry, ['fingerprint']) : entry;
  }
  return out;
}

function planToOrderedObject(plan: Plan): Obj {
  return ordered(
    plan,
    ['formatVersion', 'organizationId', 'manifestDigest', 'checksum', 'summary', 'actions', 'unmanaged', 'ignored', 'warnings', 'expirations', 'deployments', 'protectedSubjects', 'tokens', 'users', 'teams'],
    {
      summary: (s: Plan['summary']) => ordered(s, ['add', 'update', 'remove', 'unchanged', 'unmanaged', 'ignored']),
      actions: (list: PlanAction[]) => list.map(action),
      unmanaged: (list: PlanBinding[]) => list.map(binding),
      ignored: (list: PlanBinding[]) => list.map(binding),
      expirations: (list: PlanExpiration[]) => list.map(expiration),
      deployments: (list: PlanDeployment[]) => list.map(deployment),
      tokens: fingerprints,
      users: fingerprints,
      teams: fingerprints,
    },
  );
}

/** Stable, 2-space JSON with a trailing newline. */
export function renderJson(plan: Plan): string {
  return safeJson(planToOrderedObject(plan), 2) + '\n';
}
