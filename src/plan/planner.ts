import type { Desired, Diagnostic, TokenKind } from '../manifest/types.ts';
import type { Actual, ActualToken } from '../astro/actual.ts';
import { planChecksum } from './checksum.ts';
import { diffDeployment } from './diff-deployment.ts';
import type { DeploymentDiff, DiffContext, SubjectWarning } from './diff-deployment.ts';
import { fingerprintRoles } from './fingerprint.ts';
import { indexActual } from './index-actual.ts';
import type { ActualIndex } from './index-actual.ts';
import { compareDeployments, compareEntries, cmp } from './order.ts';
import { tokenMatcher } from './patterns.ts';
import { TOKEN_KINDS, tokenListKey } from '../manifest/raw.ts';
import { resolveNames, sourceOf } from './resolve-names.ts';
import type { ResolvedDeployment } from './resolve-names.ts';
import type { Plan, PlanAction, PlanBinding, PlanDeployment, PlanDeploymentRef, PlanSubjectRef } from './types.ts';
import { tokenStateWatch } from './token-state.ts';

// Desired × Actual → Plan, a pure function. Everything is indexed once, so the work is linear in the
// number of declared and live bindings on managed deployments. The diffing itself is per deployment and
// kind (diff-deployment.ts); this module resolves, gathers and assembles.

export interface MakePlanResult {
  plan?: Plan;
  errors: Diagnostic[];
}

export interface PlanOptions {
  /** The time the plan is made (ms since the epoch), for token expiry; the planner never reads a clock. */
  now?: number;
}

export function makePlan(desired: Desired, actual: Actual, opts: PlanOptions = {}): MakePlanResult {
  const ix = indexActual(actual);
  const { deployments, errors } = resolveNames(desired, ix);
  if (desired.organizationId !== actual.organizationId) {
    const at = desired.deployments[0]?.at ?? { file: desired.files[0] ?? 'manifest', line: 1, col: 1 };
    errors.unshift({
      ...at,
      message: `the manifest is for organization ${desired.organizationId}, but the live state read is of organization ${actual.organizationId}`,
    });
  }
  if (errors.length > 0) return { errors };
  const parts = diffAll(deployments, ix, desired, opts);
  return { errors: [], plan: assemble(parts, desired, actual) };
}

/** Everything the deployments' diffs produce, gathered before sorting. */
interface PlanParts {
  actions: PlanAction[];
  unmanaged: PlanBinding[];
  ignored: PlanBinding[];
  warnings: SubjectWarning[];
  /** Warnings about subjects as a whole (not one binding), already in order. */
  subjectWarnings: string[];
  deployments: PlanDeployment[];
  affected: Map<string, ActualToken>;
  protectedSubjects: string[];
  unchanged: number;
}

function diffAll(deployments: readonly ResolvedDeployment[], ix: ActualIndex, desired: Desired, opts: PlanOptions): PlanParts {
  const protect = tokenMatcher(desired.protect);
  const watchProtect = desired.protect.length > 0;
  const tokenRefs = new Map<string, PlanSubjectRef>();
  const ctx: DiffContext = {
    ignore: tokenMatcher(desired.ignore),
    ref(t) {
      let r = tokenRefs.get(t.id);
      if (!r) tokenRefs.set(t.id, (r = { type: 'token', id: t.id, name: t.name, scope: t.scope }));
      return r;
    },
  };
  const parts: PlanParts = {
    actions: [], unmanaged: [], ignored: [], warnings: [], subjectWarnings: [], deployments: [],
    affected: new Map(), protectedSubjects: [], unchanged: 0,
  };
  const protectCandidates = new Map<string, ActualToken>();
  const stateWatch = tokenStateWatch(opts.now);
  const gather = (diff: DeploymentDiff): void => {
    for (const b of diff.honoured) stateWatch.note(b.token, b.source);
    parts.actions.push(...diff.actions);
    parts.unmanaged.push(...diff.unmanaged);
    parts.ignored.push(...diff.ignored);
    parts.warnings.push(...diff.warnings);
    for (const t of diff.affected) parts.affected.set(t.id, t);
    parts.unchanged += diff.unchanged;
  };

  for (const rd of deployments) {
    const dep: PlanDeploymentRef = {
      id: rd.deployment.id,
      name: rd.deployment.name,
      workspaceId: rd.workspace.id,
      workspaceName: rd.workspace.name,
    };
    const live = ix.bindingsByDeployment.get(dep.id) ?? [];
    if (watchProtect) for (const lb of live) protectCandidates.set(lb.token.id, lb.token);
    const managedKinds = TOKEN_KINDS.filter((k) => rd.bindings[k] !== undefined);
    let existing = 0;
    let after = 0;
    for (const kind of managedKinds) {
      const declared = rd.bindings[kind] ?? [];
      if (watchProtect) for (const b of declared) protectCandidates.set(b.token.id, b.token);
      const diff = diffDeployment({ deployment: dep, kind, declared, live, prune: rd.desired.prune }, ctx);
      gather(diff);
      existing += diff.existing;
      after += diff.desired;
    }
    parts.deployments.push(planDeployment(dep, rd, managedKinds, existing, after));
  }
  parts.subjectWarnings = stateWatch.warnings();
  parts.protectedSubjects = [...protectCandidates.values()]
    .filter((t) => protect.match(t) !== null)
    .map((t) => t.id)
    .sort(cmp);
  return parts;
}

/** The plan document: every list in the plan's one order, the fingerprints, the checksum. */
function assemble(parts: PlanParts, desired: Desired, actual: Actual): Plan {
  const { actions, unmanaged, ignored, warnings } = parts;
  actions.sort(compareEntries);
  unmanaged.sort(compareEntries);
  ignored.sort(compareEntries);
  warnings.sort(compareEntries);
  parts.deployments.sort(compareDeployments);

  const tokens: Plan['tokens'] = {};
  for (const id of [...parts.affected.keys()].sort(cmp)) {
    const t = parts.affected.get(id);
    if (t) tokens[id] = { fingerprint: fingerprintRoles(t.roles) };
  }
  const count = (k: PlanAction['action']): number => actions.filter((a) => a.action === k).length;

  const plan: Plan = {
    formatVersion: 2,
    organizationId: actual.organizationId,
    manifestDigest: desired.digest,
    checksum: '',
    summary: {
      add: count('add'),
      update: count('update'),
      remove: count('remove'),
      unchanged: parts.unchanged,
      unmanaged: unmanaged.length,
      ignored: ignored.length,
    },
    actions,
    unmanaged,
    ignored,
    warnings: [...warnings.map((w) => w.text), ...parts.subjectWarnings],
    expirations: [],
    deployments: parts.deployments,
    protectedSubjects: parts.protectedSubjects,
    tokens,
    users: {},
    teams: {},
  };
  plan.checksum = planChecksum(plan);
  return plan;
}

function planDeployment(
  dep: PlanDeploymentRef,
  rd: ResolvedDeployment,
  managedKinds: TokenKind[],
  existing: number,
  desired: number,
): PlanDeployment {
  const raw = (k: TokenKind): unknown[] | undefined => rd.desired[tokenListKey(k)];
  const explicitEmpty = managedKinds.length > 0 && managedKinds.every((k) => raw(k)?.length === 0);
  return { ...dep, managedKinds, existing, desired, explicitEmpty, source: sourceOf(rd.desired.at) };
}
