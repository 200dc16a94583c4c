import type { TokenScope } from '../astro/types.ts';
import type { TokenKind } from '../manifest/types.ts';

// The JSON plan (formatVersion 1) is the contract: renderers, the checksum, the PR comment and
// `apply PLAN.json` all read this shape and nothing computed beside it.

export interface PlanDeploymentRef {
  id: string;
  name: string;
  workspaceId: string;
  workspaceName: string;
}

export interface PlanTokenRef {
  id: string;
  name: string;
  scope: TokenScope;
}

export type ActionKind = 'add' | 'update' | 'remove';

export interface PlanAction {
  action: ActionKind;
  deployment: PlanDeploymentRef;
  token: PlanTokenRef;
  before: string | null;
  after: string | null;
  reason: string;
  /** "file:line" of the manifest entry behind the action; null for removals of undeclared bindings. */
  source: string | null;
}

/** A live binding the plan leaves alone, and why (prune off, ignore glob). */
export interface PlanBinding {
  deployment: PlanDeploymentRef;
  token: PlanTokenRef;
  role: string;
  reason: string;
}

/** Per managed deployment: what the guards need, so they can run from a saved plan alone. */
export interface PlanDeployment extends PlanDeploymentRef {
  managedKinds: TokenKind[];
  /** Bindings of the managed kinds that exist now (ignored tokens excluded). */
  existing: number;
  /** Bindings of the managed kinds after the plan. */
  desired: number;
  /** The manifest lists every managed kind here as an explicit empty list. */
  explicitEmpty: boolean;
  source: string;
}

export interface PlanSummary {
  add: number;
  update: number;
  remove: number;
  unchanged: number;
  unmanaged: number;
  ignored: number;
}

export interface Plan {
  formatVersion: 1;
  organizationId: string;
  manifestDigest: string;
  /** SHA-256 over the canonical serialization of the whole document except this field (checksum.ts). */
  checksum: string;
  summary: PlanSummary;
  actions: PlanAction[];
  unmanaged: PlanBinding[];
  ignored: PlanBinding[];
  warnings: string[];
  deployments: PlanDeployment[];
  /** Token IDs matched by the manifest's `protect` list. */
  protectedTokens: string[];
  /** Fingerprint of each affected token's whole role list, as read. */
  tokens: Record<string, { fingerprint: string }>;
}
