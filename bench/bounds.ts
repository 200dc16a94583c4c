import type { Expected } from './generate.ts';

// What the work costs at the floor, and what it costs done the astro CLI's way. Both are counted from the
// generated organization (not from astro-access), so they are independent yardsticks.

/** The documented per-token rate limits, requests per second. */
export const LIMITS = { get: 25, post: 10 } as const;
export const PAGE_SIZE = 1000; // the API's maximum
export const ASTRO_CLI_PAGE_SIZE = 100;

export interface Requests {
  get: number;
  post: number;
}

export interface Cost {
  plan: Requests;
  apply: Requests;
}

const pages = (items: number, size: number): number => Math.max(1, Math.ceil(items / size));

/**
 * The lower bound: a plan reads every list page once (tokens, deployments, workspaces, roles at 1,000 a
 * page); an apply of a saved plan re-reads each changed token once and POSTs its whole role list once.
 */
export function lowerBound(e: Expected): Cost {
  const plan = pages(e.tokens, PAGE_SIZE) + pages(e.deployments, PAGE_SIZE) + pages(e.workspaces, PAGE_SIZE) + pages(e.customRoles, PAGE_SIZE);
  return { plan: { get: plan, post: 0 }, apply: { get: e.changedTokens, post: e.changedTokens } };
}

/**
 * The astro CLI's pattern (astro-api.md), counted: one command per changed binding, each listing the
 * workspace's tokens 100 a page to resolve the name, then GET the token, then POST its roles. Seeing the
 * current state the CLI's way is `workspace-token list --deployment-id` per deployment (100 a page).
 */
export function astroCliPattern(e: Expected): Cost {
  const perBinding = pages(e.tokensPerWorkspace, ASTRO_CLI_PAGE_SIZE) + 1;
  const changes = e.add + e.update + e.remove;
  const plan = e.liveBindingsPerDeployment.reduce((n, live) => n + pages(live, ASTRO_CLI_PAGE_SIZE), 0);
  return { plan: { get: plan, post: 0 }, apply: { get: changes * perBinding, post: changes } };
}

/** Seconds at the documented rate limits: max(GETs/25, POSTs/10) plus one round trip. */
export function rateBoundSeconds(r: Requests, latencyMs: number): number {
  return Math.max(r.get / LIMITS.get, r.post / LIMITS.post) + latencyMs / 1000;
}

/** Seconds for requests sent one after another (how a shell loop of CLI commands runs). */
export function sequentialSeconds(r: Requests, latencyMs: number): number {
  return ((r.get + r.post) * latencyMs) / 1000;
}

export const total = (r: Requests): number => r.get + r.post;
