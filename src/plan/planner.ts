import type { BindingKind, Desired, Diagnostic } from '../manifest/types.ts';
import type { Actual } from '../astro/actual.ts';
import { planChecksum } from './checksum.ts';
import { diffDeployment } from './diff-deployment.ts';
import { endingOf } from './expiry.ts';
import type { DeploymentDiff, DiffContext, SubjectWarning } from './diff-deployment.ts';
import { indexActual } from './index-actual.ts';
import type { ActualIndex } from './index-actual.ts';
import { compareDeployments, compareEntries, cmp } from './order.ts';
import { subjectMatcher } from './patterns.ts';
import { BINDING_KINDS, bindingKind } from '../manifest/raw.ts';
import { resolveNames, sourceOf } from './resolve-names.ts';
import type { ResolvedDeployment } from './resolve-names.ts';
import { subjectStateWatch } from './subject-state.ts';
import { subjectFingerprint } from './subjects.ts';
import type { Subject } from './subjects.ts';
import type { Plan, PlanAction, PlanBinding, PlanDeployment, PlanDeploymentRef, PlanExpiration } from './types.ts';

// Desired × Actual → Plan, a pure function. Everything is indexed once, so the work is linear in the
// number of declared and live bindings on managed deployments. The diffing itself is per deployment and
// kind (diff-deployment.ts); this module resolves, gathers and assembles.

export interface MakePlanResult {
  plan?: Plan;
  errors: Diagnostic[];
}

export interface PlanOptions {
  /**
   * The time the plan is made (ms since the epoch): for tokens past their `endAt` and grants past or near
   * their `expires`. The planner never reads a clock. Undefined: nothing is treated as expired and no
   * grant is listed in `expirations` (the CLI and the Action pass Date.now()).
   */
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
  expirations: PlanExpiration[];
  /** Warnings about subjects as a whole (not one binding), already in order. */
  subjectWarnings: string[];
  deployments: PlanDeployment[];
  /** The index makes one object per subject, so a set of them holds each subject once. */
  affected: Set<Subject>;
  protectedSubjects: string[];
  unchanged: number;
}

function diffAll(deployments: readonly ResolvedDeployment[], ix: ActualIndex, desired: Desired, opts: PlanOptions): PlanParts {
  const protect = subjectMatcher(desired.protect);
  const watchProtect = desired.protect.length > 0;
  const ctx: DiffContext = { ignore: subjectMatcher(desired.ignore) };
  const parts: PlanParts = {
    actions: [], unmanaged: [], ignored: [], warnings: [], expirations: [], subjectWarnings: [], deployments: [],
    affected: new Set(), protectedSubjects: [], unchanged: 0,
  };
  const protectCandidates = new Set<Subject>();
  const stateWatch = subjectStateWatch(opts.now);
  const gather = (diff: DeploymentDiff): void => {
    for (const b of diff.honoured) stateWatch.note(b.subject, b.source);
    // Appended one by one: a spread of a very large deployment's list would exceed the argument limit.
    append(parts.actions, diff.actions);
    append(parts.unmanaged, diff.unmanaged);
    append(parts.ignored, diff.ignored);
    append(parts.warnings, diff.warnings);
    append(parts.expirations, diff.expirations);
    for (const s of diff.affected) parts.affected.add(s);
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
    if (watchProtect) for (const lb of live) protectCandidates.add(lb.subject);
    const managedKinds = BINDING_KINDS.map((k) => k.kind).filter((k) => rd.bindings[k] !== undefined);
    let existing = 0;
    let after = 0;
    for (const kind of managedKinds) {
      const declared = rd.bindings[kind] ?? [];
      if (watchProtect) for (const b of declared) protectCandidates.add(b.subject);
      const diff = diffDeployment({ deployment: dep, kind, declared, live, prune: rd.desired.prune, now: opts.now }, ctx);
      gather(diff);
      existing += diff.existing;
      after += diff.desired;
    }
    parts.deployments.push(planDeployment(dep, rd, managedKinds, existing, after, opts.now));
  }
  parts.subjectWarnings = stateWatch.warnings();
  const protectedIds = [...protectCandidates.values()].filter((s) => protect.match(s) !== null).map((s) => s.id);
  parts.protectedSubjects = [...new Set(protectedIds)].sort(cmp);
  return parts;
}

function append<T>(to: T[], from: readonly T[]): void {
  for (const x of from) to.push(x);
}

/** The plan document: every list in the plan's one order, the fingerprints, the checksum. */
function assemble(parts: PlanParts, desired: Desired, actual: Actual): Plan {
  const { actions, unmanaged, ignored, warnings, expirations } = parts;
  actions.sort(compareEntries);
  unmanaged.sort(compareEntries);
  ignored.sort(compareEntries);
  warnings.sort(compareEntries);
  expirations.sort((a, b) => compareEntries(a, b) || cmp(a.endsAt, b.endsAt));
  parts.deployments.sort(compareDeployments);

  const fingerprints: Pick<Plan, 'tokens' | 'users' | 'teams'> = { tokens: {}, users: {}, teams: {} };
  const mapOf = { token: fingerprints.tokens, user: fingerprints.users, team: fingerprints.teams };
  const affected = [...parts.affected.values()].sort((a, b) => cmp(a.id, b.id));
  for (const s of affected) mapOf[s.type][s.id] = { fingerprint: subjectFingerprint(s) };
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
    expirations,
    deployments: parts.deployments,
    protectedSubjects: parts.protectedSubjects,
    ...fingerprints,
  };
  plan.checksum = planChecksum(plan);
  return plan;
}

function planDeployment(
  dep: PlanDeploymentRef,
  rd: ResolvedDeployment,
  managedKinds: BindingKind[],
  existing: number,
  desired: number,
  now: number | undefined,
): PlanDeployment {
  // A list of grants that have all expired says "none" as plainly as an empty one: the guard against
  // emptying a deployment by accident does not stand in the way of the expiry the manifest asked for.
  const emptyList = (k: BindingKind): boolean =>
    rd.desired[bindingKind(k).listKey]?.every((b) => endingOf(b, now)?.expired === true) ?? false;
  const explicitEmpty = managedKinds.length > 0 && managedKinds.every(emptyList);
  return { ...dep, managedKinds, existing, desired, explicitEmpty, source: sourceOf(rd.desired.at) };
}
