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

/** A Go binary's start, assumed (the astro CLI is not run here): one per command of its pattern. */
export const ASTRO_CLI_START_S = 0.05;

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
 * The astro CLI's pattern, modelled from its source (astro-api.md): every invocation first lists the
 * organizations; `workspace-token add|update|remove` by name then lists the workspace's tokens 100 a page,
 * GETs the token and POSTs its roles: 3 GETs + 1 POST a binding when the tokens fit one page. Seeing the
 * current state the CLI's way is `workspace-token list --deployment-id` per deployment (the organizations,
 * then the tokens 100 a page). One command, one process, per binding or deployment.
 */
export function astroCliPattern(e: Expected): Cost & { commands: { plan: number; apply: number } } {
  const perBinding = 1 + pages(e.tokensPerWorkspace, ASTRO_CLI_PAGE_SIZE) + 1;
  const changes = e.add + e.update + e.remove;
  const plan = e.liveBindingsPerDeployment.reduce((n, live) => n + 1 + pages(live, ASTRO_CLI_PAGE_SIZE), 0);
  return {
    plan: { get: plan, post: 0 },
    apply: { get: changes * perBinding, post: changes },
    commands: { plan: e.liveBindingsPerDeployment.length, apply: changes },
  };
}

/** The true write floor of an apply: one POST per changed token, nothing else (no re-read, no check). */
export function writeFloor(e: Expected): Requests {
  return { get: 0, post: e.changedTokens };
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
