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
  // Each deployment is made canonical once; sorting those strings orders the list as sorting by them would.
  const deployments = input.deployments.map((d) => canonicalJson({
    workspace: ref(d.workspace),
    deployment: ref(d.deployment),
    prune: d.prune,
    workspaceTokens: bindings(d.workspaceTokens, 'token'),
    organizationTokens: bindings(d.organizationTokens, 'token'),
    users: bindings(d.users, 'user'),
    teams: bindings(d.teams, 'team'),
  })).sort();
  // canonicalJson of { digestVersion: 1, organizationId, ignore, protect, deployments }, fed to the hash in
  // pieces: at 100,000 bindings the whole text is several MB, built and copied for nothing.
  const hash = createHash('sha256');
  hash.update('{"deployments":[');
  deployments.forEach((d, i) => hash.update(i === 0 ? d : `,${d}`));
  hash.update(`],"digestVersion":1,"ignore":${canonicalJson(sortedUnique(input.ignore))}`);
  hash.update(`,"organizationId":${JSON.stringify(input.organizationId)}`);
  hash.update(`,"protect":${canonicalJson(sortedUnique(input.protect))}}`);
  return hash.digest('hex');
}

/** Text that is already canonical JSON: canonicalJson writes it as it is. */
class CanonicalText {
  constructor(readonly json: string) {}
}

/** JSON with object keys sorted at every level and undefined members left out. */
function canonicalJson(value: unknown): string {
  if (value instanceof CanonicalText) return value.json;
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

/** canonicalJson of `{ id, name }` without the generic walk: there is one per binding. */
function refJson(r: Reference): string {
  const members: string[] = [];
  if (r.id !== undefined) members.push(`"id":${JSON.stringify(r.id)}`);
  if (r.name !== undefined) members.push(`"name":${JSON.stringify(r.name)}`);
  return `{${members.join(',')}}`;
}

/**
 * The sorted list of `{ expires?, role, <token|user|team> }` as canonical JSON, written directly (100,000
 * bindings in a large manifest). The subject goes under the manifest's own key, so a manifest of tokens
 * without `expires` keeps the digest it had before users, teams and `expires` existed.
 */
function bindings(list: readonly DesiredBinding[] | undefined, subjectKey: 'token' | 'user' | 'team'): CanonicalText | undefined {
  if (list === undefined) return undefined;
  return new CanonicalText(sortedList(list.map((b) => {
    // The expiry as written: the plan shows that text, so two spellings of one instant are two plans.
    const expires = b.expires === undefined ? '' : `"expires":${JSON.stringify(b.expires.text)},`;
    return `{${expires}"role":${JSON.stringify(b.role)},"${subjectKey}":${refJson(b.subject)}}`;
  })));
}

function sortedUnique(list: readonly string[]): string[] {
  return [...new Set(list)].sort();
}

/** A JSON array of canonical JSON texts in sorted order (plain string order, as the digest has always used). */
function sortedList(items: string[]): string {
  return `[${items.sort().join(',')}]`;
}
