import type { PlanDeploymentRef, PlanSubjectRef, SubjectType } from './types.ts';

// The plan's one order: deployment (workspace name, deployment name, id), then subject (tokens, users,
// teams; each by name, then id).
// Plain code-unit comparison, not localeCompare, so the order never depends on the machine's locale.

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareDeployments(a: PlanDeploymentRef, b: PlanDeploymentRef): number {
  return cmp(a.workspaceName, b.workspaceName) || cmp(a.name, b.name) || cmp(a.id, b.id);
}

const TYPE_RANK: Record<SubjectType, number> = { token: 0, user: 1, team: 2 };

export function compareSubjects(a: PlanSubjectRef, b: PlanSubjectRef): number {
  return TYPE_RANK[a.type] - TYPE_RANK[b.type] || cmp(a.name, b.name) || cmp(a.id, b.id);
}

export function compareEntries(
  a: { deployment: PlanDeploymentRef; subject: PlanSubjectRef },
  b: { deployment: PlanDeploymentRef; subject: PlanSubjectRef },
): number {
  return compareDeployments(a.deployment, b.deployment) || compareSubjects(a.subject, b.subject);
}
