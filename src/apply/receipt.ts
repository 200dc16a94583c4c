import type { ApiTokenRole } from '../astro/types.ts';
import type { PlanAction } from '../plan/types.ts';

/** `already-applied`: the token changed since the plan, but only into what the plan wanted; nothing written.
 * `interrupted`: apply stopped while this token was being written (the roles before are known, the
 * outcome is not); `not-started`: apply stopped before this token was read. */
export type TokenStatus = 'applied' | 'already-applied' | 'conflict' | 'failed' | 'interrupted' | 'not-started';

/** What apply did for one token: the roles read, the roles written, and the API's request IDs. */
export interface TokenReceipt {
  tokenId: string;
  tokenName: string;
  status: TokenStatus;
  actions: PlanAction[];
  /** The roles as read before the write. */
  before: ApiTokenRole[] | null;
  /** The list the server accepted; null unless this token was written. */
  after: ApiTokenRole[] | null;
  requestIds: string[];
  error?: string;
}

export interface Receipt {
  formatVersion: 1;
  organizationId: string;
  checksum: string;
  status: 'applied' | 'already-applied' | 'partial' | 'interrupted' | 'nothing-to-do';
  summary: {
    tokens: number;
    applied: number;
    alreadyApplied: number;
    conflicts: number;
    failed: number;
    interrupted: number;
    notStarted: number;
  };
  /** Guards that refused the plan but were overridden with --allow-unsafe. */
  overriddenGuards: string[];
  tokens: TokenReceipt[];
}

export function receiptStatus(tokens: readonly TokenReceipt[]): Receipt['status'] {
  if (tokens.length === 0) return 'nothing-to-do';
  if (tokens.some((t) => t.status === 'interrupted' || t.status === 'not-started')) return 'interrupted';
  if (tokens.every((t) => t.status === 'already-applied')) return 'already-applied';
  return tokens.every((t) => t.status === 'applied' || t.status === 'already-applied') ? 'applied' : 'partial';
}
