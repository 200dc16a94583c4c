import type { BindingKind } from '../manifest/types.ts';
import { describeDagRoles, subjectDagRolesOn } from './dag-roles.ts';
import { endingOf, endingWarning, expirationOf, expiredReason } from './expiry.ts';
import type { Ending } from './expiry.ts';
import type { LiveBinding } from './index-actual.ts';
import type { SubjectMatcher } from './patterns.ts';
import type { ResolvedBinding } from './resolve-names.ts';
import { describeSubject } from './subjects.ts';
import type { Subject } from './subjects.ts';
import type { PlanAction, PlanBinding, PlanDeploymentRef, PlanExpiration, PlanSubjectRef } from './types.ts';
import { quote as q } from '../util/sanitize.ts';

// One managed deployment, one kind: the declared bindings against the live ones → actions and listings.
// The planner runs this per (deployment, kind) and gathers the results; nothing here is shared state.
// An expired declaration counts as not declared: its live binding is removed (prune on) or listed as
// unmanaged (prune off), with the expiry as the reason.

/** A warning with what it is about, so the planner can sort warnings in the plan's one order. */
export interface SubjectWarning {
  deployment: PlanDeploymentRef;
  subject: PlanSubjectRef;
  text: string;
}

export interface DiffInput {
  deployment: PlanDeploymentRef;
  kind: BindingKind;
  /** The manifest's resolved list for this kind. */
  declared: readonly ResolvedBinding[];
  /** Every live binding on the deployment (other kinds are skipped here). */
  live: readonly LiveBinding[];
  prune: boolean;
  /** When the plan is made (ms since the epoch); undefined: no grant is expired or expiring. */
  now: number | undefined;
}

export interface DiffContext {
  ignore: SubjectMatcher;
}

export interface DeploymentDiff {
  actions: PlanAction[];
  unmanaged: PlanBinding[];
  ignored: PlanBinding[];
  warnings: SubjectWarning[];
  expirations: PlanExpiration[];
  /** Declared bindings the plan honours (neither ignored nor expired). */
  honoured: ResolvedBinding[];
  /** Subjects with an action here: their fingerprints go into the plan. */
  affected: Subject[];
  unchanged: number;
  /** Live bindings of this kind (ignored ones excluded). */
  existing: number;
  /** Bindings of this kind after the plan. */
  desired: number;
}

export function diffDeployment(input: DiffInput, ctx: DiffContext): DeploymentDiff {
  const { deployment: dep, kind } = input;
  const out: DeploymentDiff = {
    actions: [], unmanaged: [], ignored: [], warnings: [], expirations: [], honoured: [], affected: [],
    unchanged: 0, existing: 0, desired: 0,
  };

  const declared = new Map<string, ResolvedBinding>();
  const expired = new Map<string, { binding: ResolvedBinding; ending: Ending }>();
  for (const b of input.declared) {
    const pattern = ctx.ignore.match(b.subject);
    if (pattern !== null) {
      out.warnings.push({
        deployment: dep,
        subject: b.subject.ref,
        text: `${b.source}: ${describeSubject(b.subject)} is declared on deployment ${q(dep.name)} (${dep.id}) but matches ignore pattern ${q(pattern)}; the declaration is skipped and its binding left as it is`,
      });
      continue;
    }
    const ending = endingOf(b, input.now);
    if (ending !== null) {
      out.expirations.push(expirationOf(dep, b, ending));
      out.warnings.push({ deployment: dep, subject: b.subject.ref, text: endingWarning(dep, b, ending) });
      if (ending.expired) {
        expired.set(b.subject.id, { binding: b, ending });
        continue;
      }
    }
    declared.set(b.subject.id, b);
    out.honoured.push(b);
  }
  const live = new Map<string, LiveBinding>();
  for (const lb of input.live) if (lb.kind === kind && !live.has(lb.subject.id)) live.set(lb.subject.id, lb);

  for (const [id, lb] of live) {
    const subject = lb.subject.ref;
    const pattern = ctx.ignore.match(lb.subject);
    if (pattern !== null) {
      out.ignored.push({ deployment: dep, subject, role: lb.role, reason: `matches ignore pattern ${q(pattern)}` });
      continue;
    }
    out.existing++;
    const want = declared.get(id);
    if (want === undefined) {
      const ended = expired.get(id);
      if (input.prune) {
        const why = ended
          ? { reason: expiredReason(ended.ending.expires), source: ended.binding.source, expires: ended.ending.expires.text }
          : { reason: 'not declared and prune is on', source: null };
        out.actions.push(removal(dep, lb, why, out));
        out.affected.push(lb.subject);
      } else {
        const why = ended ? `${expiredReason(ended.ending.expires)} and prune is off for this deployment` : 'not declared and prune is off for this deployment';
        out.unmanaged.push({ deployment: dep, subject, role: lb.role, reason: why });
        out.desired++;
      }
      continue;
    }
    out.desired++;
    if (want.role === lb.role) out.unchanged++;
    else {
      out.actions.push(withExpiry({
        action: 'update', deployment: dep, subject, before: lb.role, after: want.role,
        reason: `role differs: ${lb.role} → ${want.role}`, source: want.source,
      }, want));
      out.affected.push(lb.subject);
    }
  }
  for (const [id, want] of declared) {
    if (live.has(id)) continue;
    out.desired++;
    out.actions.push(withExpiry({
      action: 'add', deployment: dep, subject: want.subject.ref, before: null, after: want.role,
      reason: 'declared in manifest', source: want.source,
    }, want));
    out.affected.push(want.subject);
  }
  return out;
}

/** An add or update of a grant with an end carries the end as written. */
function withExpiry(a: PlanAction, want: ResolvedBinding): PlanAction {
  if (want.expires !== undefined) a.expires = want.expires.text;
  return a;
}

/**
 * The removal of a live binding: undeclared (no source), or declared with an `expires` that has passed
 * (the source names the expired entry). One that would orphan DAG roles says so and warns.
 */
function removal(
  dep: PlanDeploymentRef,
  lb: LiveBinding,
  why: Pick<PlanAction, 'reason' | 'source' | 'expires'>,
  out: DeploymentDiff,
): PlanAction {
  const subject = lb.subject.ref;
  const remove: PlanAction = {
    action: 'remove', deployment: dep, subject, before: lb.role, after: null, reason: why.reason, source: why.source,
  };
  // A removal because the grant ended carries that end, as an add or update of the grant did.
  if (why.expires !== undefined) remove.expires = why.expires;
  const orphaned = subjectDagRolesOn(lb.subject, dep.id);
  if (orphaned.length > 0) {
    remove.orphanedDagRoles = orphaned;
    remove.reason += `; would orphan its DAG roles here: ${describeDagRoles(orphaned)}`;
    out.warnings.push({
      deployment: dep,
      subject,
      text: `${describeSubject(lb.subject)} would lose its role on deployment ${q(dep.name)} (${dep.id}) but keep DAG roles there (${describeDagRoles(orphaned)}); apply refuses this unless --allow-unsafe`,
    });
  }
  return remove;
}
