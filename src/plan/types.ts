import type { TokenScope } from '../astro/types.ts';
import type { BindingKind } from '../manifest/types.ts';

// The JSON plan (formatVersion 2) is the contract: renderers, the checksum, the PR comment and
// `apply PLAN.json` all read this shape and nothing computed beside it.

export interface PlanDeploymentRef {
  id: string;
  name: string;
  workspaceId: string;
  workspaceName: string;
}

/** What holds a deployment role: an API token, a user or a team. */
export type SubjectType = 'token' | 'user' | 'team';

export interface PlanSubjectRef {
  type: SubjectType;
  id: string;
  /** A token's name, a user's username (email), a team's name. */
  name: string;
  /** Tokens only: WORKSPACE or ORGANIZATION. */
  scope?: TokenScope;
}

export type ActionKind = 'add' | 'update' | 'remove';

/** A token's DAG or DAG_TAG entry on a deployment (its deploymentId is the action's deployment). */
export interface PlanDagRole {
  entityType: 'DAG' | 'DAG_TAG';
  entityId: string;
  role: string;
}

export interface PlanAction {
  action: ActionKind;
  deployment: PlanDeploymentRef;
  subject: PlanSubjectRef;
  before: string | null;
  after: string | null;
  reason: string;
  /**
   * "file:line" of the manifest entry behind the action; null for removals of undeclared bindings. The
   * removal of an expired grant names its entry (its reason says `expired on …`).
   */
  source: string | null;
  /** On an add or update of a grant the manifest gives an end: `expires` as written. */
  expires?: string;
  /** On a remove only: the subject's DAG and DAG_TAG entries on this deployment the removal would orphan (a guard refuses it). */
  orphanedDagRoles?: PlanDagRole[];
}

/** A live binding the plan leaves alone, and why (prune off, possibly for an expired grant; ignore glob). */
export interface PlanBinding {
  deployment: PlanDeploymentRef;
  subject: PlanSubjectRef;
  role: string;
  reason: string;
}

/** A declared grant that has ended, or ends within 7 days of the time the plan was made. */
export interface PlanExpiration {
  deployment: PlanDeploymentRef;
  subject: PlanSubjectRef;
  role: string;
  /** As written in the manifest. */
  expires: string;
  /** The first instant the grant no longer holds (ISO 8601, UTC). */
  endsAt: string;
  expired: boolean;
  /** "file:line" of the manifest entry. */
  source: string;
}

/** Per managed deployment: what the guards need, so they can run from a saved plan alone. */
export interface PlanDeployment extends PlanDeploymentRef {
  managedKinds: BindingKind[];
  /** Bindings of the managed kinds (tokens, users, teams) that exist now (ignored subjects excluded). */
  existing: number;
  /** Bindings of the managed kinds after the plan. */
  desired: number;
  /** The manifest lists every managed kind here as an explicit empty list (or one whose grants have all expired). */
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
  formatVersion: 2;
  organizationId: string;
  manifestDigest: string;
  /** SHA-256 over the canonical serialization of the whole document except this field (checksum.ts). */
  checksum: string;
  summary: PlanSummary;
  actions: PlanAction[];
  unmanaged: PlanBinding[];
  ignored: PlanBinding[];
  warnings: string[];
  /** Declared grants that have ended or end within 7 days, by deployment and subject. */
  expirations: PlanExpiration[];
  deployments: PlanDeployment[];
  /** IDs of the subjects (any type) matched by the manifest's `protect` list. */
  protectedSubjects: string[];
  /** Fingerprint of each affected token's whole role list, as read. */
  tokens: Record<string, { fingerprint: string }>;
  /** Fingerprint of each affected user's whole role set, as read. */
  users: Record<string, { fingerprint: string }>;
  /** Fingerprint of each affected team's whole role set, as read. */
  teams: Record<string, { fingerprint: string }>;
}
