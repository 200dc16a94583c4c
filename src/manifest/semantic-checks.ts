import type { BindingKind, Diagnostic, SourceLocation } from './types.ts';
import type { PathSegment, Positions } from './locate.ts';
import { BINDING_KINDS } from './raw.ts';
import { EXPIRES_SHAPE, parseExpiry } from './expiry.ts';
import { isRecord } from '../util/is-record.ts';
import { quote } from '../util/sanitize.ts';
import { CUID } from '../util/cuid.ts';
import { emailKey } from '../util/email-key.ts';

// Checks across all files that the schema cannot express: duplicates, one organization, real calendar dates.
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
    // The calendar of a well-shaped `expires` (the schema checks the shape, and reports it when wrong).
    const checkExpiry = (entry: Record<string, unknown> | undefined, path: PathSegment[]) => {
      const text = entry?.expires;
      if (typeof text !== 'string' || !EXPIRES_SHAPE.test(text)) return;
      const parsed = parseExpiry(text);
      if ('problem' in parsed) report(errors, locator.value([...path, 'expires']), `"expires" ${parsed.problem}`);
    };
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
      for (const [d, dep] of list(ws?.deployments)) {
        if (!dep) continue;
        const path: PathSegment[] = ['workspaces', w, 'deployments', d];
        const depRef = reference(dep, 'deployment');
        if (wsRef && depRef) {
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
          if (!BINDING_KINDS.some(({ listKey }) => listKey in dep)) {
            report(warnings, locator.entry(path),
              'this deployment lists none of "workspaceTokens", "organizationTokens", "users" and "teams": nothing on it is managed');
          }
        }
        // Bindings are checked even where the deployment's or workspace's own reference is wrong: every error in one run.
        for (const { kind, listKey, nameKey, idKey } of BINDING_KINDS) {
          const seen = new Map<string, { at: SourceLocation; name: string }>();
          for (const [t, entry] of list(dep[listKey])) {
            const entryPath = [...path, listKey, t];
            checkExpiry(entry, entryPath);
            const ref = reference(entry, nameKey);
            if (!ref) continue;
            const refAt = locator.value([...entryPath, ref.key]);
            // Emails match case-insensitively (the resolver matches them so against usernames); names and IDs exactly.
            const key = ref.key === 'user' ? `user:${emailKey(ref.value)}` : `${ref.key}:${ref.value}`;
            const first = seen.get(key);
            if (!first) {
              seen.set(key, { at: refAt, name: ref.value });
              continue;
            }
            const what = ref.key === idKey ? ref.value : quote(ref.value);
            const caseNote = ref.key === 'user' && first.name !== ref.value ? ` as ${quote(first.name)} (emails match whatever their case)` : '';
            report(errors, refAt, `${NOUN[kind]} ${what} is already declared on this deployment${caseNote} at ${where(first.at)}`);
          }
        }
      }
    }
    return { errors, warnings };
  }
}

const NOUN: Record<BindingKind, string> = { workspace: 'workspace token', organization: 'organization token', user: 'user', team: 'team' };

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
