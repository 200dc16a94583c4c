import type { ApiTokenRole } from '../astro/types.ts';
import type { PlanAction, PlanSubjectRef, SubjectType } from '../plan/types.ts';
import type { RoleSet, UserTeamBody } from './user-team-roles.ts';

/** `already-applied`: the subject changed since the plan, but only into what the plan wanted; nothing written.
 * `interrupted`: apply stopped while this subject was being written (the roles before are known, the
 * outcome is not); `not-started`: apply stopped before this subject was read. */
export type SubjectStatus = 'applied' | 'already-applied' | 'conflict' | 'failed' | 'interrupted' | 'not-started';

interface ReceiptEntry {
  status: SubjectStatus;
  actions: PlanAction[];
  requestIds: string[];
  error?: string;
}

/** What apply did for one token: its role list as read, the list written, and the API's request IDs. */
export interface TokenReceipt extends ReceiptEntry {
  subject: PlanSubjectRef & { type: 'token' };
  /** The roles as read before the write. */
  before: ApiTokenRole[] | null;
  /** The list the server accepted; null unless this token was written. */
  after: ApiTokenRole[] | null;
}

/** What apply did for one user or team: its whole role set as read, the set written, the request IDs. */
export interface UserTeamReceipt extends ReceiptEntry {
  subject: PlanSubjectRef & { type: 'user' | 'team' };
  before: RoleSet | null;
  /** The set the server accepted; null unless this subject was written. */
  after: UserTeamBody | null;
}

export type SubjectReceipt = TokenReceipt | UserTeamReceipt;

export function isTokenReceipt(r: SubjectReceipt): r is TokenReceipt {
  return r.subject.type === 'token';
}

export interface Receipt {
  formatVersion: 2;
  organizationId: string;
  checksum: string;
  status: 'applied' | 'already-applied' | 'partial' | 'interrupted' | 'nothing-to-do';
  summary: {
    /** Tokens, users and teams the plan acts on: one entry each in `subjects`. */
    subjects: number;
    applied: number;
    alreadyApplied: number;
    conflicts: number;
    failed: number;
    interrupted: number;
    notStarted: number;
  };
  /** Guards that refused the plan but were overridden with --allow-unsafe. */
  overriddenGuards: string[];
  /** One entry per subject (token, user or team), in plan order. */
  subjects: SubjectReceipt[];
}

export function receiptStatus(subjects: readonly SubjectReceipt[]): Receipt['status'] {
  if (subjects.length === 0) return 'nothing-to-do';
  if (subjects.some((t) => t.status === 'interrupted' || t.status === 'not-started')) return 'interrupted';
  if (subjects.every((t) => t.status === 'already-applied')) return 'already-applied';
  return subjects.every((t) => t.status === 'applied' || t.status === 'already-applied') ? 'applied' : 'partial';
}

/** The noun for counting these subjects: `token` when all are tokens (likewise users, teams), else `subject`. */
export function subjectNoun(types: readonly SubjectType[]): string {
  const kinds = new Set(types);
  return kinds.size === 1 ? [...kinds][0]! : 'subject';
}
