import { createHash } from 'node:crypto';
import type { DesiredBinding, DesiredDeployment, Reference } from './types.ts';

// The manifest digest: SHA-256 over canonical JSON of what the manifest means. Positions, file names,
// formatting, comments and the order of files, deployments, bindings and patterns do not count.

export interface DigestInput {
  organizationId: string;
  ignore: readonly string[];
  protect: readonly string[];
  deployments: readonly DesiredDeployment[];
}

export function manifestDigest(input: DigestInput): string {
  const content = {
    digestVersion: 1,
    organizationId: input.organizationId,
    ignore: sortedUnique(input.ignore),
    protect: sortedUnique(input.protect),
    deployments: sortByJson(input.deployments.map((d) => ({
      workspace: ref(d.workspace),
      deployment: ref(d.deployment),
      prune: d.prune,
      workspaceTokens: bindings(d.workspaceTokens),
      organizationTokens: bindings(d.organizationTokens),
    }))),
  };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** JSON with object keys sorted at every level and undefined members left out. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function ref(r: Reference): { name?: string; id?: string } {
  return { name: r.name, id: r.id };
}

function bindings(list: readonly DesiredBinding[] | undefined): unknown[] | undefined {
  return list === undefined ? undefined : sortByJson(list.map((b) => ({ token: ref(b.token), role: b.role })));
}

function sortedUnique(list: readonly string[]): string[] {
  return [...new Set(list)].sort();
}

function sortByJson<T>(list: T[]): T[] {
  return list
    .map((item) => [canonicalJson(item), item] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, item]) => item);
}
