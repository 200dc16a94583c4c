import type { Diagnostic, SourceLocation } from './types.ts';
import type { PathSegment, Positions } from './locate.ts';
import { TOKEN_LISTS } from './raw.ts';
import { isRecord } from '../util/is-record.ts';
import { quote } from '../util/sanitize.ts';
import { CUID } from '../util/cuid.ts';

// Checks across all files that the schema cannot express: duplicates and one organization.
// Reads the data defensively, so files with schema errors are still checked where they are well formed.
// Files are checked one at a time, as they are loaded: across files only the organization and each
// deployment's first position are kept, never a file's document.

export interface SemanticResult {
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export class SemanticChecks {
  #organization: { id: string; at: SourceLocation } | undefined;
  /** Each deployment declared so far (in earlier files too) → where it first is. */
  readonly #deployments = new Map<string, SourceLocation>();

  /** The problems in one file, against itself and the files checked before it. */
  check(data: unknown, locator: Positions): SemanticResult {
    const errors: Diagnostic[] = [];
    const warnings: Diagnostic[] = [];
    const report = (list: Diagnostic[], at: SourceLocation, message: string) => list.push({ ...at, message });
    const deployments = this.#deployments;
    const root = record(data);
    if (!root) return { errors, warnings };
    const orgId = root.organizationId;
    if (typeof orgId === 'string' && CUID.test(orgId)) {
      const at = locator.value(['organizationId']);
      const organization = this.#organization;
      if (!organization) this.#organization = { id: orgId, at };
      else if (organization.id !== orgId) {
        report(errors, at, `"organizationId" ${orgId} differs from ${organization.id} at ${where(organization.at)}; all files must name the same organization`);
      }
    }
    for (const [w, ws] of list(root.workspaces)) {
      const wsRef = reference(ws, 'workspace');
      if (!wsRef) continue;
      for (const [d, dep] of list(ws?.deployments)) {
        const depRef = reference(dep, 'deployment');
        if (!depRef || !dep) continue;
        const path: PathSegment[] = ['workspaces', w, 'deployments', d];
        const at = locator.value([...path, depRef.key]);
        const key = depRef.key === 'deploymentId' ? `id:${depRef.value}` : `${wsRef.key}:${wsRef.value}/name:${depRef.value}`;
        const first = deployments.get(key);
        if (first) {
          const what = depRef.key === 'deploymentId'
            ? `deployment ${depRef.value}`
            : `deployment ${quote(depRef.value)} of workspace ${wsRef.key === 'workspaceId' ? wsRef.value : quote(wsRef.value)}`;
          report(errors, at, `${what} is already declared at ${where(first)}`);
        } else {
          deployments.set(key, at);
        }
        if (!('workspaceTokens' in dep) && !('organizationTokens' in dep)) {
          report(warnings, locator.entry(path),
            'this deployment lists neither "workspaceTokens" nor "organizationTokens": nothing on it is managed');
        }
        for (const [listKey, kind] of TOKEN_LISTS) {
          const tokens = new Map<string, SourceLocation>();
          for (const [t, entry] of list(dep[listKey])) {
            const tokenRef = reference(entry, 'token');
            if (!tokenRef) continue;
            const tokenAt = locator.value([...path, listKey, t, tokenRef.key]);
            const tokenKey = `${tokenRef.key}:${tokenRef.value}`;
            const firstToken = tokens.get(tokenKey);
            if (firstToken) {
              const what = tokenRef.key === 'tokenId' ? tokenRef.value : quote(tokenRef.value);
              report(errors, tokenAt, `${kind} token ${what} is already declared on this deployment at ${where(firstToken)}`);
            } else {
              tokens.set(tokenKey, tokenAt);
            }
          }
        }
      }
    }
    return { errors, warnings };
  }
}

function where(at: SourceLocation): string {
  return `${at.file}:${at.line}`;
}

function record(x: unknown): Record<string, unknown> | undefined {
  return isRecord(x) ? x : undefined;
}

function list(x: unknown): [number, Record<string, unknown> | undefined][] {
  return Array.isArray(x) ? x.map((item, i) => [i, record(item)]) : [];
}

/** The entry's single well-formed reference (`name` or `nameId`), or undefined when it has none or both. */
function reference(entry: Record<string, unknown> | undefined, name: string): { key: string; value: string } | undefined {
  if (!entry) return undefined;
  const byName = entry[name];
  const byId = entry[`${name}Id`];
  if (byName !== undefined && byId !== undefined) return undefined;
  if (typeof byName === 'string' && byName !== '') return { key: name, value: byName };
  if (typeof byId === 'string' && CUID.test(byId)) return { key: `${name}Id`, value: byId };
  return undefined;
}
