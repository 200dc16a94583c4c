import type { ApplyClient } from '../../src/apply/executor.ts';
import type { ActualTeam, ActualToken, ActualUser } from '../../src/astro/actual.ts';
import type { ApiTokenRole, SubjectRoles, UpdateSubjectRolesRequest } from '../../src/astro/types.ts';
import { AstroApiError } from '../../src/errors.ts';

// An in-memory fake of the Astro API edge (the client's reads and roles POSTs), not of our own code: the
// executor's decisions are tested without HTTP. A POST attempt's fate is scripted per attempt; like the
// real client, a transient failure is retried (at most 3 attempts) after `beforeRetry` gives the body.
// Users and teams get the server's Workspace Accessor side effect for deployments listed in `workspaceOf`.

/** ok: stored, answered in full; sparse: stored, answered `{}`; dropped: answered `{}`, not stored;
 * lost: stored, then the answer lost (transient); transient: not stored (a 503); refused: a 400. */
export type PostFate = 'ok' | 'sparse' | 'dropped' | 'lost' | 'transient' | 'refused';

type Body<T> = { value: T; beforeRetry?: (() => Promise<T>) | undefined };

export class FakeAstro implements ApplyClient {
  readonly tokens = new Map<string, ActualToken>();
  readonly users = new Map<string, ActualUser>();
  readonly teams = new Map<string, ActualTeam>();
  /** Deployment ID → its workspace ID, for the Workspace Accessor the server adds. */
  readonly workspaceOf = new Map<string, string>();
  readonly calls: string[] = [];
  /** Fates of the next POST attempts, in order (then 'ok'); `beforeAttempt` may change state first. */
  fates: PostFate[] = [];
  beforeAttempt?: (id: string, attempt: number) => void;
  /** A GET of this ID throws this error. */
  failGet = new Map<string, Error>();

  getToken = async (id: string) => ({ token: this.get(this.tokens, id), requestId: `get-${this.calls.length}` });
  getUser = async (id: string) => ({ user: this.get(this.users, id), requestId: `get-${this.calls.length}` });
  getTeam = async (id: string) => ({ team: this.get(this.teams, id), requestId: `get-${this.calls.length}` });

  replaceTokenRoles(id: string, roles: ApiTokenRole[], opts: { beforeRetry?: () => Promise<ApiTokenRole[]> } = {}) {
    return this.post(id, { value: roles, beforeRetry: opts.beforeRetry }, (r) => {
      const token = this.tokens.get(id)!;
      token.roles = structuredClone(r);
      return { deploymentRoles: token.roles.filter((e) => e.entityType === 'DEPLOYMENT').map((e) => ({ deploymentId: e.entityId, role: e.role })) };
    });
  }

  updateUserRoles = (id: string, body: UpdateSubjectRolesRequest, opts: { beforeRetry?: () => Promise<UpdateSubjectRolesRequest> } = {}) =>
    this.post(id, { value: body, beforeRetry: opts.beforeRetry }, (b) => this.storeSet(this.users.get(id)!, b));

  updateTeamRoles = (id: string, body: UpdateSubjectRolesRequest, opts: { beforeRetry?: () => Promise<UpdateSubjectRolesRequest> } = {}) =>
    this.post(id, { value: body, beforeRetry: opts.beforeRetry }, (b) => this.storeSet(this.teams.get(id)!, b));

  private get<T>(from: Map<string, T>, id: string): T {
    this.calls.push(`GET ${id}`);
    const failure = this.failGet.get(id);
    if (failure) throw failure;
    const found = from.get(id);
    if (found === undefined) throw apiError('GET', 404, id);
    return structuredClone(found);
  }

  private async post<T>(id: string, body: Body<T>, store: (value: T) => SubjectRoles) {
    let value = body.value;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) value = (await body.beforeRetry?.()) ?? value; // throws to stop, like the client's hook
      this.beforeAttempt?.(id, attempt);
      this.calls.push(`POST ${id}`);
      const fate = this.fates.shift() ?? 'ok';
      if (fate === 'refused') throw apiError('POST', 400, id);
      const answer = fate === 'ok' || fate === 'sparse' || fate === 'lost' ? store(value) : {};
      if (fate === 'lost' || fate === 'transient') {
        if (attempt < 3 && body.beforeRetry) continue;
        throw apiError('POST', 503, id);
      }
      return { result: fate === 'ok' ? answer : {}, requestId: `post-${this.calls.length}` };
    }
  }

  /** The roles POST of a user or team: the whole set replaced, organizationRole required, the Workspace Accessor added. */
  private storeSet(s: ActualUser | ActualTeam, body: UpdateSubjectRolesRequest): SubjectRoles {
    if (!body.organizationRole) throw apiError('POST', 400, s.id);
    const workspaceRoles = structuredClone(body.workspaceRoles ?? []);
    for (const d of body.deploymentRoles ?? []) {
      const ws = this.workspaceOf.get(d.deploymentId);
      if (ws !== undefined && !workspaceRoles.some((w) => w.workspaceId === ws)) workspaceRoles.push({ workspaceId: ws, role: 'WORKSPACE_ACCESSOR' });
    }
    Object.assign(s, structuredClone({ ...body, workspaceRoles }));
    return { deploymentRoles: [] }; // documented for tokens only: not the set written
  }
}

function apiError(method: string, status: number, id: string): AstroApiError {
  return new AstroApiError({ message: `HTTP ${status}`, status, method, path: `/x/${id}`, attempts: 1, requestId: `err-${status}` });
}
