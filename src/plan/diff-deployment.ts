import type { ActualToken } from '../astro/actual.ts';
import type { TokenKind } from '../manifest/types.ts';
import { dagRolesOn, describeDagRoles } from './dag-roles.ts';
import type { LiveBinding } from './index-actual.ts';
import type { TokenMatcher } from './patterns.ts';
import type { ResolvedBinding } from './resolve-names.ts';
import type { PlanAction, PlanBinding, PlanDeploymentRef, PlanSubjectRef } from './types.ts';
import { quote as q } from '../util/sanitize.ts';

// One managed deployment, one kind: the declared bindings against the live ones → actions and listings.
// The planner runs this per (deployment, kind) and gathers the results; nothing here is shared state.

/** A warning with what it is about, so the planner can sort warnings in the plan's one order. */
export interface SubjectWarning {
  deployment: PlanDeploymentRef;
  subject: PlanSubjectRef;
  text: string;
}

export interface DiffInput {
  deployment: PlanDeploymentRef;
  kind: TokenKind;
  /** The manifest's resolved list for this kind. */
  declared: readonly ResolvedBinding[];
  /** Every live binding on the deployment (other kinds are skipped here). */
  live: readonly LiveBinding[];
  prune: boolean;
}

export interface DiffContext {
  ignore: TokenMatcher;
  /** One shared subject reference per token, so equal subjects are the same object across the plan. */
  ref(token: ActualToken): PlanSubjectRef;
}

export interface DeploymentDiff {
  actions: PlanAction[];
  unmanaged: PlanBinding[];
  ignored: PlanBinding[];
  warnings: SubjectWarning[];
  /** Declared bindings the plan honours (not ignored). */
  honoured: ResolvedBinding[];
  /** Subjects with an action here: their fingerprints go into the plan. */
  affected: ActualToken[];
  unchanged: number;
  /** Live bindings of this kind (ignored ones excluded). */
  existing: number;
  /** Bindings of this kind after the plan. */
  desired: number;
}

export function diffDeployment(input: DiffInput, ctx: DiffContext): DeploymentDiff {
  const { deployment: dep, kind } = input;
  const out: DeploymentDiff = {
    actions: [], unmanaged: [], ignored: [], warnings: [], honoured: [], affected: [], unchanged: 0, existing: 0, desired: 0,
  };

  const declared = new Map<string, ResolvedBinding>();
  for (const b of input.declared) {
    const pattern = ctx.ignore.match(b.token);
    if (pattern === null) {
      declared.set(b.token.id, b);
      out.honoured.push(b);
    } else {
      out.warnings.push({
        deployment: dep,
        subject: ctx.ref(b.token),
        text: `${b.source}: token ${q(b.token.name)} (${b.token.id}) is declared on deployment ${q(dep.name)} (${dep.id}) but matches ignore pattern ${q(pattern)}; the declaration is skipped and its binding left as it is`,
      });
    }
  }
  const live = new Map<string, LiveBinding>();
  for (const lb of input.live) if (lb.kind === kind && !live.has(lb.token.id)) live.set(lb.token.id, lb);

  for (const [id, lb] of live) {
    const subject = ctx.ref(lb.token);
    const pattern = ctx.ignore.match(lb.token);
    if (pattern !== null) {
      out.ignored.push({ deployment: dep, subject, role: lb.role, reason: `matches ignore pattern ${q(pattern)}` });
      continue;
    }
    out.existing++;
    const want = declared.get(id);
    if (want === undefined) {
      if (input.prune) {
        out.actions.push(removal(dep, subject, lb, out));
        out.affected.push(lb.token);
      } else {
        out.unmanaged.push({ deployment: dep, subject, role: lb.role, reason: 'not declared and prune is off for this deployment' });
        out.desired++;
      }
      continue;
    }
    out.desired++;
    if (want.role === lb.role) out.unchanged++;
    else {
      out.actions.push({
        action: 'update', deployment: dep, subject, before: lb.role, after: want.role,
        reason: `role differs: ${lb.role} → ${want.role}`, source: want.source,
      });
      out.affected.push(lb.token);
    }
  }
  for (const [id, want] of declared) {
    if (live.has(id)) continue;
    out.desired++;
    out.actions.push({
      action: 'add', deployment: dep, subject: ctx.ref(want.token), before: null, after: want.role,
      reason: 'declared in manifest', source: want.source,
    });
    out.affected.push(want.token);
  }
  return out;
}

/** The removal of an undeclared live binding; one that would orphan DAG roles says so and warns. */
function removal(dep: PlanDeploymentRef, subject: PlanSubjectRef, lb: LiveBinding, out: DeploymentDiff): PlanAction {
  const remove: PlanAction = {
    action: 'remove', deployment: dep, subject, before: lb.role, after: null, reason: 'not declared and prune is on', source: null,
  };
  const orphaned = dagRolesOn(lb.token, dep.id);
  if (orphaned.length > 0) {
    remove.orphanedDagRoles = orphaned;
    remove.reason += `; would orphan its DAG roles here: ${describeDagRoles(orphaned)}`;
    out.warnings.push({
      deployment: dep,
      subject,
      text: `token ${q(lb.token.name)} (${lb.token.id}) would lose its role on deployment ${q(dep.name)} (${dep.id}) but keep DAG roles there (${describeDagRoles(orphaned)}); apply refuses this unless --allow-unsafe`,
    });
  }
  return remove;
}
