import type { Actual, ActualToken } from '../astro/actual.ts';
import type { Deployment, Workspace } from '../astro/types.ts';
import type { DesiredDeployment, Reference } from '../manifest/types.ts';
import { quote, safeJson } from '../util/sanitize.ts';
import { CUID } from '../util/cuid.ts';
import { teamLines, teamNameCounts, userLines, userNameCounts } from './export-subjects.ts';
import type { SubjectKind } from './kind.ts';
import { comment, countBy, nameScalar, sharedOrUnwritable, type IdCheck, type RoleScalar } from './export-scalars.ts';

// `export`: a manifest of what is live now, so that `plan` on it right away shows no changes.
// Names where they resolve uniquely, IDs (with the name in a comment) where they collide. How values
// are written safely: export-scalars.ts.

/** Where editors with the YAML language server find the manifest's schema (completion, hover, checks). */
export const SCHEMA_URL = 'https://raw.githubusercontent.com/astro-access/astro-access/main/schemas/manifest.schema.json';

/** Settings carried over from an existing manifest (`--like FILE`). */
export interface LikeSettings {
  /** The file-wide prune, when the manifest sets one. */
  prune?: boolean;
  ignore: string[];
  protect: string[];
  /** Effective prune per deployment the manifest lists. */
  deployments: Pick<DesiredDeployment, 'workspace' | 'deployment' | 'prune' | 'users' | 'teams'>[];
}

export interface ExportOptions {
  /** Workspace names or IDs; empty = every workspace. */
  workspaces: string[];
  /** The `$schema` of the first-line modeline; default SCHEMA_URL. */
  schema?: string;
  like?: LikeSettings;
  /** The kinds to write (default all). Users and teams are written only when `actual` holds them (read). */
  kinds?: readonly SubjectKind[];
}

const refers = (ref: Reference, item: { id: string; name: string }): boolean =>
  ref.id !== undefined ? ref.id === item.id : ref.name === item.name;

/** The file-wide prune of the --like manifest, else the default (true). */
const filePrune = (like: LikeSettings | undefined): boolean => like?.prune ?? true;

/** A deployment's own prune line when its effective prune in the --like manifest (from the deployment or its
 *  workspace) differs from the file's. */
function likeDeployment(like: LikeSettings | undefined, ws: Workspace, d: Deployment) {
  return like?.deployments.find((x) => refers(x.workspace, ws) && refers(x.deployment, d));
}

function prunes(like: LikeSettings | undefined, ws: Workspace, d: Deployment, fileWide: boolean): string[] {
  const found = likeDeployment(like, ws, d);
  return found && found.prune !== fileWide ? [`        prune: ${found.prune}`] : [];
}

function patternLines(key: string, patterns: readonly string[]): string[] {
  return patterns.length === 0 ? [] : [`${key}:`, ...patterns.map((p) => `  - ${safeJson(p)}`)];
}

export function exportManifest(actual: Actual, opts: ExportOptions): { text: string; missing: string[]; problems: string[] } {
  const missing = opts.workspaces.filter((w) => !actual.workspaces.some((ws) => ws.id === w || ws.name === w));
  const selected = actual.workspaces
    .filter((ws) => opts.workspaces.length === 0 || opts.workspaces.includes(ws.id) || opts.workspaces.includes(ws.name))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));

  const problems: string[] = [];
  const id = (what: string, value: string): string => {
    if (!CUID.test(value)) problems.push(`${what} ID ${comment(value)} is not an Astro ID (c + 24 lowercase letters or digits)`);
    return value;
  };
  const role: RoleScalar = (value) => {
    const text = nameScalar(value);
    if (text === undefined) problems.push(`role name ${quote(value)} cannot be written in a manifest`);
    return text ?? '""';
  };

  const workspaceNames = countBy(actual.workspaces, (w) => w.name);
  const orgTokens = actual.tokens.filter((t) => t.scope === 'ORGANIZATION');
  const orgTokenNames = countBy(orgTokens, (t) => t.name);
  const kinds = new Set(opts.kinds ?? ['tokens', 'users', 'teams']);
  const users = kinds.has('users') ? actual.users : undefined;
  const teams = kinds.has('teams') ? actual.teams : undefined;
  // Names are counted over the whole organization: that is where the planner looks a name up.
  const userNames = userNameCounts(users ?? []);
  const teamNames = teamNameCounts(teams ?? []);

  const like = opts.like;
  const fileWide = filePrune(like);
  const out: string[] = [
    `# yaml-language-server: $schema=${comment(opts.schema ?? SCHEMA_URL)}`,
    '# Exported by astro-access from the live organization.',
    'version: 1',
    `organizationId: ${id('organization', actual.organizationId)}`,
    ...(like && !fileWide ? ['prune: false'] : []),
    ...patternLines('ignore', like?.ignore ?? []),
    ...patternLines('protect', like?.protect ?? []),
    'workspaces:',
  ];

  let listed = 0;
  for (const ws of selected) {
    const deployments = actual.deployments
      .filter((d) => d.workspaceId === ws.id)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    if (deployments.length === 0) {
      // A manifest's workspace lists at least one deployment: one without any is only mentioned.
      out.push(`  # workspace ${comment(ws.name)} (${comment(ws.id)}) has no deployments`);
      continue;
    }
    listed++;
    out.push(workspaceLine(ws, workspaceNames, id));
    out.push('    deployments:');
    const deploymentNames = countBy(deployments, (d) => d.name);
    const wsTokens = actual.tokens.filter(
      (t) => t.scope === 'WORKSPACE' && t.roles.some((r) => r.entityType === 'WORKSPACE' && r.entityId === ws.id),
    );
    const wsTokenNames = countBy(wsTokens, (t) => t.name);
    for (const d of deployments) {
      out.push(deploymentLine(d, deploymentNames, id), ...prunes(like, ws, d, fileWide));
      if (kinds.has('tokens')) {
        out.push(...bindingLines('workspaceTokens', d, wsTokens, wsTokenNames, id, role));
        out.push(...bindingLines('organizationTokens', d, orgTokens, orgTokenNames, id, role));
      }
      // Where the --like manifest manages users (teams) on this deployment, it still does when none hold a role.
      const managed = likeDeployment(like, ws, d);
      if (users) out.push(...userLines(d, users, userNames, id, role, problems, managed?.users !== undefined));
      if (teams) out.push(...teamLines(d, teams, teamNames, id, role, problems, managed?.teams !== undefined));
    }
  }
  if (listed === 0) out[out.indexOf('workspaces:')] = 'workspaces: []';
  return { text: out.join('\n') + '\n', missing, problems: [...new Set(problems)] };
}

function workspaceLine(ws: Workspace, names: Map<string, number>, id: IdCheck): string {
  const name = names.get(ws.name) === 1 ? nameScalar(ws.name) : undefined;
  return name !== undefined
    ? `  - workspace: ${name}  # ${comment(id('workspace', ws.id))}`
    : `  - workspaceId: ${id('workspace', ws.id)}  # ${comment(ws.name)} (${sharedOrUnwritable(names.get(ws.name), 'workspaces')})`;
}

function deploymentLine(d: Deployment, names: Map<string, number>, id: IdCheck): string {
  const name = names.get(d.name) === 1 ? nameScalar(d.name) : undefined;
  return name !== undefined
    ? `      - deployment: ${name}  # ${comment(id('deployment', d.id))}`
    : `      - deploymentId: ${id('deployment', d.id)}  # ${comment(d.name)} (${sharedOrUnwritable(names.get(d.name), 'deployments in this workspace')})`;
}

function bindingLines(
  key: 'workspaceTokens' | 'organizationTokens',
  d: Deployment,
  tokens: readonly ActualToken[],
  names: Map<string, number>,
  id: IdCheck,
  role: RoleScalar,
): string[] {
  const bound = tokens
    .flatMap((t) => {
      const entry = t.roles.find((r) => r.entityType === 'DEPLOYMENT' && r.entityId === d.id);
      return entry ? [{ t, role: entry.role }] : [];
    })
    .sort((a, b) => a.t.name.localeCompare(b.t.name) || a.t.id.localeCompare(b.t.id));
  if (bound.length === 0) return [`        ${key}: []`];
  const lines = [`        ${key}:`];
  for (const { t, role: r } of bound) {
    const name = names.get(t.name) === 1 ? nameScalar(t.name) : undefined;
    lines.push(
      name !== undefined
        ? `          - token: ${name}  # ${comment(id('token', t.id))}`
        : `          - tokenId: ${id('token', t.id)}  # ${comment(t.name)} (${sharedOrUnwritable(names.get(t.name), 'tokens')})`,
      `            role: ${role(r)}`,
    );
  }
  return lines;
}
