import type { Actual, ActualToken } from '../plan/actual.ts';
import type { Deployment, Workspace } from '../astro/types.ts';
import type { DesiredDeployment, Reference } from '../manifest/types.ts';

// `export`: a manifest of what is live now, so that `plan` on it right away shows no changes.
// Names where they resolve uniquely, IDs (with the name in a comment) where they collide.

const PLAIN = /^[A-Za-z_][A-Za-z0-9 _.\/-]*[A-Za-z0-9_.\/-]$|^[A-Za-z_]$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

/** A YAML scalar: plain when unambiguous, else JSON-quoted (a JSON string is valid YAML). */
export function yamlScalar(s: string): string {
  return PLAIN.test(s) && !RESERVED.test(s) && !s.includes(': ') && !s.includes(' #') ? s : JSON.stringify(s);
}

function comment(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(key(i), (counts.get(key(i)) ?? 0) + 1);
  return counts;
}

/** Where editors with the YAML language server find the manifest's schema (completion, hover, checks). */
export const SCHEMA_URL = 'https://raw.githubusercontent.com/astro-access/astro-access/main/schemas/manifest.schema.json';

/** Settings carried over from an existing manifest (`--like FILE`). */
export interface LikeSettings {
  /** The file-wide prune, when the manifest sets one. */
  prune?: boolean;
  ignore: string[];
  protect: string[];
  /** Effective prune per deployment the manifest lists. */
  deployments: Pick<DesiredDeployment, 'workspace' | 'deployment' | 'prune'>[];
}

export interface ExportOptions {
  /** Workspace names or IDs; empty = every workspace. */
  workspaces: string[];
  /** The `$schema` of the first-line modeline; default SCHEMA_URL. */
  schema?: string;
  like?: LikeSettings;
}

const refers = (ref: Reference, item: { id: string; name: string }): boolean =>
  ref.id !== undefined ? ref.id === item.id : ref.name === item.name;

/** The file-wide prune of the --like manifest, else the default (true). */
const filePrune = (like: LikeSettings | undefined): boolean => like?.prune ?? true;

/** A deployment's own prune line when its effective prune in the --like manifest (from the deployment or its
 *  workspace) differs from the file's. */
function prunes(like: LikeSettings | undefined, ws: Workspace, d: Deployment, fileWide: boolean): string[] {
  const found = like?.deployments.find((x) => refers(x.workspace, ws) && refers(x.deployment, d));
  return found && found.prune !== fileWide ? [`        prune: ${found.prune}`] : [];
}

function patternLines(key: string, patterns: readonly string[]): string[] {
  return patterns.length === 0 ? [] : [`${key}:`, ...patterns.map((p) => `  - ${JSON.stringify(p)}`)];
}

export function exportManifest(actual: Actual, opts: ExportOptions): { text: string; missing: string[] } {
  const missing = opts.workspaces.filter((w) => !actual.workspaces.some((ws) => ws.id === w || ws.name === w));
  const selected = actual.workspaces
    .filter((ws) => opts.workspaces.length === 0 || opts.workspaces.includes(ws.id) || opts.workspaces.includes(ws.name))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));

  const workspaceNames = countBy(actual.workspaces, (w) => w.name);
  const orgTokens = actual.tokens.filter((t) => t.scope === 'ORGANIZATION');
  const orgTokenNames = countBy(orgTokens, (t) => t.name);

  const like = opts.like;
  const fileWide = filePrune(like);
  const out: string[] = [
    `# yaml-language-server: $schema=${comment(opts.schema ?? SCHEMA_URL)}`,
    '# Exported by astro-access from the live organization.',
    'version: 1',
    `organizationId: ${actual.organizationId}`,
    ...(like && !fileWide ? ['prune: false'] : []),
    ...patternLines('ignore', like?.ignore ?? []),
    ...patternLines('protect', like?.protect ?? []),
    'workspaces:',
  ];
  if (selected.length === 0) out[out.length - 1] = 'workspaces: []';

  for (const ws of selected) {
    out.push(...workspaceLines(ws, workspaceNames));
    const deployments = actual.deployments
      .filter((d) => d.workspaceId === ws.id)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    if (deployments.length === 0) {
      out.push('    deployments: []');
      continue;
    }
    out.push('    deployments:');
    const deploymentNames = countBy(deployments, (d) => d.name);
    const wsTokens = actual.tokens.filter(
      (t) => t.scope === 'WORKSPACE' && t.roles.some((r) => r.entityType === 'WORKSPACE' && r.entityId === ws.id),
    );
    const wsTokenNames = countBy(wsTokens, (t) => t.name);
    for (const d of deployments) {
      out.push(...deploymentLines(d, deploymentNames), ...prunes(like, ws, d, fileWide));
      out.push(...bindingLines('workspaceTokens', d, wsTokens, wsTokenNames));
      out.push(...bindingLines('organizationTokens', d, orgTokens, orgTokenNames));
    }
  }
  return { text: out.join('\n') + '\n', missing };
}

function workspaceLines(ws: Workspace, names: Map<string, number>): string[] {
  return names.get(ws.name) === 1
    ? [`  - workspace: ${yamlScalar(ws.name)}  # ${ws.id}`]
    : [`  - workspaceId: ${ws.id}  # ${comment(ws.name)} (name shared by ${names.get(ws.name)} workspaces)`];
}

function deploymentLines(d: Deployment, names: Map<string, number>): string[] {
  return names.get(d.name) === 1
    ? [`      - deployment: ${yamlScalar(d.name)}  # ${d.id}`]
    : [`      - deploymentId: ${d.id}  # ${comment(d.name)} (name shared in this workspace)`];
}

function bindingLines(
  key: 'workspaceTokens' | 'organizationTokens',
  d: Deployment,
  tokens: readonly ActualToken[],
  names: Map<string, number>,
): string[] {
  const bound = tokens
    .flatMap((t) => {
      const entry = t.roles.find((r) => r.entityType === 'DEPLOYMENT' && r.entityId === d.id);
      return entry ? [{ t, role: entry.role }] : [];
    })
    .sort((a, b) => a.t.name.localeCompare(b.t.name) || a.t.id.localeCompare(b.t.id));
  if (bound.length === 0) return [`        ${key}: []`];
  const lines = [`        ${key}:`];
  for (const { t, role } of bound) {
    lines.push(
      names.get(t.name) === 1
        ? `          - token: ${yamlScalar(t.name)}  # ${t.id}`
        : `          - tokenId: ${t.id}  # ${comment(t.name)} (name shared by ${names.get(t.name)} tokens)`,
      `            role: ${yamlScalar(role)}`,
    );
  }
  return lines;
}
