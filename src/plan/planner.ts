import type { Desired, Diagnostic, TokenKind } from '../manifest/types.ts';
import type { Actual, ActualToken } from '../astro/actual.ts';
import { planChecksum } from './checksum.ts';
import { dagRolesOn, describeDagRoles } from './dag-roles.ts';
import { fingerprintRoles } from './fingerprint.ts';
import { indexActual } from './index-actual.ts';
import type { LiveBinding } from './index-actual.ts';
import { compareDeployments, compareEntries, cmp } from './order.ts';
import { tokenMatcher } from './patterns.ts';
import { TOKEN_KINDS, tokenListKey } from '../manifest/raw.ts';
import { resolveNames, sourceOf } from './resolve-names.ts';
import type { ResolvedBinding, ResolvedDeployment } from './resolve-names.ts';
import type { Plan, PlanAction, PlanBinding, PlanDeployment, PlanDeploymentRef, PlanSubjectRef } from './types.ts';
import { quote } from '../util/sanitize.ts';

// Desired × Actual → Plan, a pure function. Everything is indexed once, so the work is linear in the
// number of declared and live bindings on managed deployments.

export interface MakePlanResult {
  plan?: Plan;
  errors: Diagnostic[];
}

const q = quote;

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

  const ignore = tokenMatcher(desired.ignore);
  const protect = tokenMatcher(desired.protect);
  const watchProtect = desired.protect.length > 0;
  const tokenRefs = new Map<string, PlanSubjectRef>();
  const tokenRef = (t: ActualToken): PlanSubjectRef => {
    let r = tokenRefs.get(t.id);
    if (!r) tokenRefs.set(t.id, (r = { type: 'token', id: t.id, name: t.name, scope: t.scope }));
    return r;
  };

  const actions: PlanAction[] = [];
  const unmanaged: PlanBinding[] = [];
  const ignored: PlanBinding[] = [];
  const warnings: { deployment: PlanDeploymentRef; subject: PlanSubjectRef; text: string }[] = [];
  const planDeployments: PlanDeployment[] = [];
  const affected = new Map<string, ActualToken>();
  const protectCandidates = new Map<string, ActualToken>();
  let unchanged = 0;
  const stateWatch = tokenStateWatch(opts.now);

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
      const declared = new Map<string, ResolvedBinding>();
      for (const b of rd.bindings[kind] ?? []) {
        if (watchProtect) protectCandidates.set(b.token.id, b.token);
        const pattern = ignore.match(b.token);
        if (pattern === null) {
          declared.set(b.token.id, b);
          stateWatch.note(b.token, b.source);
        }
        else {
          warnings.push({
            deployment: dep,
            subject: tokenRef(b.token),
            text: `${b.source}: token ${q(b.token.name)} (${b.token.id}) is declared on deployment ${q(dep.name)} (${dep.id}) but matches ignore pattern ${q(pattern)}; the declaration is skipped and its binding left as it is`,
          });
        }
      }
      const liveOfKind = new Map<string, LiveBinding>();
      for (const lb of live) if (lb.kind === kind && !liveOfKind.has(lb.token.id)) liveOfKind.set(lb.token.id, lb);

      for (const [id, lb] of liveOfKind) {
        const pattern = ignore.match(lb.token);
        if (pattern !== null) {
          ignored.push(binding(dep, tokenRef(lb.token), lb.role, `matches ignore pattern ${q(pattern)}`));
          continue;
        }
        existing++;
        const want = declared.get(id);
        if (want === undefined) {
          if (rd.desired.prune) {
            const remove = action('remove', dep, tokenRef(lb.token), lb.role, null, 'not declared and prune is on', null);
            const orphaned = dagRolesOn(lb.token, dep.id);
            if (orphaned.length > 0) {
              remove.orphanedDagRoles = orphaned;
              remove.reason += `; would orphan its DAG roles here: ${describeDagRoles(orphaned)}`;
              warnings.push({
                deployment: dep,
                subject: tokenRef(lb.token),
                text: `token ${q(lb.token.name)} (${lb.token.id}) would lose its role on deployment ${q(dep.name)} (${dep.id}) but keep DAG roles there (${describeDagRoles(orphaned)}); apply refuses this unless --allow-unsafe`,
              });
            }
            actions.push(remove);
            affected.set(id, lb.token);
          } else {
            unmanaged.push(binding(dep, tokenRef(lb.token), lb.role, 'not declared and prune is off for this deployment'));
            after++;
          }
          continue;
        }
        after++;
        if (want.role === lb.role) unchanged++;
        else {
          const reason = `role differs: ${lb.role} → ${want.role}`;
          actions.push(action('update', dep, tokenRef(lb.token), lb.role, want.role, reason, want.source));
          affected.set(id, lb.token);
        }
      }
      for (const [id, want] of declared) {
        if (liveOfKind.has(id)) continue;
        after++;
        actions.push(action('add', dep, tokenRef(want.token), null, want.role, 'declared in manifest', want.source));
        affected.set(id, want.token);
      }
    }
    planDeployments.push(planDeployment(dep, rd, managedKinds, existing, after));
  }

  actions.sort(compareEntries);
  unmanaged.sort(compareEntries);
  ignored.sort(compareEntries);
  warnings.sort(compareEntries);
  planDeployments.sort(compareDeployments);

  const tokens: Plan['tokens'] = {};
  for (const id of [...affected.keys()].sort(cmp)) {
    const t = affected.get(id);
    if (t) tokens[id] = { fingerprint: fingerprintRoles(t.roles) };
  }
  const protectedSubjects = [...protectCandidates.values()]
    .filter((t) => protect.match(t) !== null)
    .map((t) => t.id)
    .sort(cmp);
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
      unchanged,
      unmanaged: unmanaged.length,
      ignored: ignored.length,
    },
    actions,
    unmanaged,
    ignored,
    warnings: [...warnings.map((w) => w.text), ...stateWatch.warnings()],
    expirations: [],
    deployments: planDeployments,
    protectedSubjects,
    tokens,
    users: {},
    teams: {},
  };
  plan.checksum = planChecksum(plan);
  return { errors: [], plan };
}

/**
 * Tokens the manifest binds that cannot use what they are given: an `endAt` in the past (the token has
 * expired), or kind DIRECT_ACCESS (not a STANDARD API token). One warning per token, naming every line.
 */
function tokenStateWatch(now: number | undefined): { note(t: ActualToken, source: string): void; warnings(): string[] } {
  const seen = new Map<string, { token: ActualToken; sources: string[] }>();
  return {
    note(t, source) {
      const entry = seen.get(t.id);
      if (entry) entry.sources.push(source);
      else seen.set(t.id, { token: t, sources: [source] });
    },
    warnings() {
      const out: string[] = [];
      const tokens = [...seen.values()].sort((a, b) => cmp(a.token.name, b.token.name) || cmp(a.token.id, b.token.id));
      for (const { token: t, sources } of tokens) {
        const where = `token ${q(t.name)} (${t.id}), bound at ${sources.join(', ')}`;
        const end = t.endAt === undefined || t.endAt === null ? NaN : Date.parse(t.endAt);
        if (now !== undefined && !Number.isNaN(end) && end <= now) {
          out.push(`${where}: expired on ${t.endAt}; its roles have no effect until it is rotated or replaced`);
        }
        if (t.kind === 'DIRECT_ACCESS') {
          out.push(`${where}: is a DIRECT_ACCESS token, not a STANDARD API token; check that it should hold deployment roles`);
        }
      }
      return out;
    },
  };
}

function action(
  kind: PlanAction['action'],
  deployment: PlanDeploymentRef,
  subject: PlanSubjectRef,
  before: string | null,
  after: string | null,
  reason: string,
  source: string | null,
): PlanAction {
  return { action: kind, deployment, subject, before, after, reason, source };
}

function binding(deployment: PlanDeploymentRef, subject: PlanSubjectRef, role: string, reason: string): PlanBinding {
  return { deployment, subject, role, reason };
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
