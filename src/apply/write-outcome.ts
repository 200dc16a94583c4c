import { AstroApiError } from '../errors.ts';
import type { SubjectType } from '../plan/types.ts';

// What ends a subject's write other than success, shared by the token and the user/team writes.

/** How a re-read before a retried POST ended the retries: the write had landed, someone else wrote, or the apply was interrupted. */
export class RetryStopped extends Error {
  constructor(readonly outcome: 'landed' | 'conflict' | 'interrupted') {
    super(outcome);
    this.name = 'RetryStopped';
  }
}

/** The server's refusal of the write itself (a 4xx to the POST): nothing was written, nothing to confirm. */
export function refusedOutright(err: unknown): boolean {
  return err instanceof AstroApiError && err.method === 'POST' && err.status !== undefined && err.status >= 400 && err.status < 500;
}

export function describeFailure(err: unknown, type: SubjectType = 'token'): string {
  if (err instanceof AstroApiError && err.status === 404) return `${type} not found (deleted since the plan?): ${err.message}`;
  if (err instanceof AstroApiError && err.hint) return `${err.message}; ${err.hint}`;
  return err instanceof Error ? err.message : String(err);
}
