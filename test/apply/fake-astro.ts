import type { ApplyClient } from '../../src/apply/executor.ts';
import type { ActualToken } from '../../src/astro/actual.ts';
import type { ApiTokenRole, SubjectRoles } from '../../src/astro/types.ts';
import { AstroApiError } from '../../src/errors.ts';

// An in-memory fake of the Astro API edge (the client's read and roles POST), not of our own code: the
// executor's decisions are tested without HTTP. A POST attempt's fate is scripted per attempt; like the
// real client, a transient failure is retried (at most 3 attempts) after `beforeRetry` gives the list.

/** ok: stored, answered in full; sparse: stored, answered `{}`; dropped: answered `{}`, not stored;
 * lost: stored, then the answer lost (transient); transient: not stored (a 503); refused: a 400. */
export type PostFate = 'ok' | 'sparse' | 'dropped' | 'lost' | 'transient' | 'refused';

export class FakeAstro implements ApplyClient {
  readonly tokens = new Map<string, ActualToken>();
  readonly calls: string[] = [];
  /** Fates of the next POST attempts, in order (then 'ok'); `beforeAttempt` may change state first. */
  fates: PostFate[] = [];
  beforeAttempt?: (tokenId: string, attempt: number) => void;
  /** A GET of this token throws this error. */
  failGet = new Map<string, Error>();

  async getToken(id: string): Promise<{ token: ActualToken; requestId: string | undefined }> {
    this.calls.push(`GET ${id}`);
    const failure = this.failGet.get(id);
    if (failure) throw failure;
    const token = this.tokens.get(id);
    if (!token) throw apiError('GET', 404, id);
    return { token: structuredClone(token), requestId: `get-${this.calls.length}` };
  }

  async replaceTokenRoles(id: string, roles: ApiTokenRole[], opts: { beforeRetry?: () => Promise<ApiTokenRole[]> } = {}) {
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) roles = (await opts.beforeRetry?.()) ?? roles; // throws to stop, like the client's hook
      this.beforeAttempt?.(id, attempt);
      this.calls.push(`POST ${id}`);
      const fate = this.fates.shift() ?? 'ok';
      const token = this.tokens.get(id)!;
      if (fate === 'ok' || fate === 'sparse' || fate === 'lost') token.roles = structuredClone(roles);
      if (fate === 'refused') throw apiError('POST', 400, id);
      if (fate === 'lost' || fate === 'transient') {
        if (attempt < 3 && opts.beforeRetry) continue;
        throw apiError('POST', 503, id);
      }
      const result: SubjectRoles = fate === 'ok' ? { deploymentRoles: deploymentRoles(token.roles) } : {};
      return { result, requestId: `post-${this.calls.length}` };
    }
  }
}

function deploymentRoles(roles: readonly ApiTokenRole[]): { deploymentId: string; role: string }[] {
  return roles.filter((r) => r.entityType === 'DEPLOYMENT').map((r) => ({ deploymentId: r.entityId, role: r.role }));
}

function apiError(method: string, status: number, id: string): AstroApiError {
  return new AstroApiError({ message: `HTTP ${status}`, status, method, path: `/tokens/${id}`, attempts: 1, requestId: `err-${status}` });
}
