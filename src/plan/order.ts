import type { PlanDeploymentRef, PlanTokenRef } from './types.ts';

// The plan's one order: deployment (workspace name, deployment name, id), then token (name, id).
// Plain code-unit comparison, not localeCompare, so the order never depends on the machine's locale.

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareDeployments(a: PlanDeploymentRef, b: PlanDeploymentRef): number {
  return cmp(a.workspaceName, b.workspaceName) || cmp(a.name, b.name) || cmp(a.id, b.id);
}

export function compareTokens(a: PlanTokenRef, b: PlanTokenRef): number {
  return cmp(a.name, b.name) || cmp(a.id, b.id);
}

export function compareEntries(
  a: { deployment: PlanDeploymentRef; token: PlanTokenRef },
  b: { deployment: PlanDeploymentRef; token: PlanTokenRef },
): number {
  return compareDeployments(a.deployment, b.deployment) || compareTokens(a.token, b.token);
}
