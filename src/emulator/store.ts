import type { ApiToken, DefaultRole, Deployment, Role, Team, User, Workspace } from '../astro/types.ts';
import type { SortKey } from './query.ts';
import type { NormalizedState } from './state.ts';

// The in-memory state with the indexes that keep gets O(1) and paging O(page): each filtered, sorted
// list is computed once and cached until the next change, so reading every page of 25,000 tokens is linear.

type Item = { id: string; createdAt?: string };

export class Store {
  private s!: NormalizedState;
  readonly tokens = new Map<string, ApiToken>();
  readonly deployments = new Map<string, Deployment>();
  readonly workspaces = new Map<string, Workspace>();
  readonly users = new Map<string, User>();
  readonly teams = new Map<string, Team>();
  /** Custom roles by name: token roles refer to them by name. */
  readonly rolesByName = new Map<string, Role>();
  private sorted = { tokens: [] as ApiToken[], deployments: [] as Deployment[], workspaces: [] as Workspace[], roles: [] as Role[], users: [] as User[], teams: [] as Team[] };
  private cache = new Map<string, readonly unknown[]>();

  constructor(state: NormalizedState) {
    this.reset(state);
  }

  get defaultRoles(): readonly DefaultRole[] {
    return this.s.defaultRoles;
  }

  get organizationId(): string {
    return this.s.organization.id;
  }

  /** The live state object: changes to it must be followed by changed() or reset(). */
  get raw(): NormalizedState {
    return this.s;
  }

  reset(state: NormalizedState): void {
    this.s = state;
    fill(this.tokens, state.tokens);
    fill(this.deployments, state.deployments);
    fill(this.workspaces, state.workspaces);
    fill(this.users, state.users);
    fill(this.teams, state.teams);
    this.rolesByName.clear();
    for (const r of state.roles) this.rolesByName.set(r.name, r);
    this.sorted = {
      tokens: [...state.tokens].sort(byDefault),
      deployments: [...state.deployments].sort(byDefault),
      workspaces: [...state.workspaces].sort(byDefault),
      roles: [...state.roles].sort(byDefault),
      users: [...state.users].sort(byDefault),
      teams: [...state.teams].sort(byDefault),
    };
    this.changed();
  }

  /** Forget cached lists (a token's roles changed, so filtered memberships may have). */
  changed(): void {
    this.cache.clear();
  }

  removeToken(id: string): void {
    this.tokens.delete(id);
    this.s.tokens = this.s.tokens.filter((t) => t.id !== id);
    this.sorted.tokens = this.sorted.tokens.filter((t) => t.id !== id);
    this.changed();
  }

  /** The items of `kind` that pass `keep`, in `sorts` order (default createdAt, then id); cached by `key`. */
  list<K extends keyof Store['sorted']>(
    kind: K,
    key: string,
    keep: (item: Store['sorted'][K][number]) => boolean,
    sorts: SortKey[],
  ): readonly Store['sorted'][K][number][] {
    const cacheKey = `${kind}|${key}|${sorts.map((s) => `${s.field}:${s.desc ? 'd' : 'a'}`).join(',')}`;
    const hit = this.cache.get(cacheKey);
    if (hit !== undefined) return hit as Store['sorted'][K][number][];
    const base = this.sorted[kind] as Store['sorted'][K][number][];
    const out = base.filter(keep);
    if (sorts.length > 0) out.sort((a, b) => compareBy(a, b, sorts));
    if (this.cache.size > 200) this.cache.clear();
    this.cache.set(cacheKey, out);
    return out;
  }
}

function fill<T extends { id: string }>(map: Map<string, T>, items: T[]): void {
  map.clear();
  for (const it of items) map.set(it.id, it);
}

function byDefault(a: Item, b: Item): number {
  return cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id);
}

function compareBy(a: object, b: object, sorts: SortKey[]): number {
  for (const s of sorts) {
    const c = cmp((a as Record<string, unknown>)[s.field], (b as Record<string, unknown>)[s.field]);
    if (c !== 0) return s.desc ? -c : c;
  }
  return byDefault(a as Item, b as Item);
}

/** Total order on JSON scalars; absent values sort last. */
function cmp(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
