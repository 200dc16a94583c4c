import type { AstroReader } from '../astro/api.ts';
import type { Deployment, Workspace } from '../astro/types.ts';
import { UsageError } from '../errors.ts';
import { didYouMean } from '../util/closest.ts';

// `list` finds its deployment by ID or by name (optionally within a named workspace). Names are exact and
// case-sensitive as in the manifest, and a miss gets the same "did you mean" as a manifest error.

export interface DeploymentQuery {
  deploymentId?: string | undefined;
  deployment?: string | undefined;
  /** A workspace name or ID. */
  workspace?: string | undefined;
}

const q = (s: string): string => JSON.stringify(s);

export async function findDeployment(reader: AstroReader, query: DeploymentQuery): Promise<Deployment> {
  const workspace = query.workspace === undefined ? undefined : findWorkspace(await reader.listWorkspaces(), query.workspace);
  if (query.deploymentId !== undefined) {
    const id = query.deploymentId;
    // Filter here too: the client must not depend on the server honouring deploymentIds.
    const found = (await reader.listDeployments({ deploymentIds: [id] })).find((d) => d.id === id);
    if (!found) throw new UsageError(`deployment ID ${id} not found in the organization`);
    if (workspace && found.workspaceId !== workspace.id) {
      throw new UsageError(`deployment ${q(found.name)} (${id}) belongs to workspace ${found.workspaceId}, not to ${q(workspace.name)} (${workspace.id})`);
    }
    return found;
  }
  const name = query.deployment;
  if (name === undefined) throw new UsageError("give --deployment NAME or --deployment-id ID. Run 'astro-access list --help' for usage.");
  const candidates = await reader.listDeployments(workspace ? { workspaceIds: [workspace.id] } : {});
  const inScope = candidates.filter((d) => !workspace || d.workspaceId === workspace.id);
  const matches = inScope.filter((d) => d.name === name);
  const where = workspace ? ` in workspace ${q(workspace.name)}` : '';
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new UsageError(`deployment ${q(name)} not found${where}${didYouMean(name, inScope.map((d) => d.name))}`);
  }
  const list = matches.map((d) => `${d.id} (workspace ${d.workspaceId})`).sort().join(', ');
  throw new UsageError(`${matches.length} deployments are named ${q(name)}${where}: ${list}; add --workspace or give --deployment-id`);
}

function findWorkspace(workspaces: Workspace[], ref: string): Workspace {
  const byId = workspaces.find((w) => w.id === ref);
  if (byId) return byId;
  const named = workspaces.filter((w) => w.name === ref);
  if (named.length === 1) return named[0]!;
  if (named.length > 1) {
    throw new UsageError(`${named.length} workspaces are named ${q(ref)}: ${named.map((w) => w.id).sort().join(', ')}; give the workspace ID`);
  }
  throw new UsageError(`workspace ${q(ref)} not found${didYouMean(ref, workspaces.map((w) => w.name))}`);
}
