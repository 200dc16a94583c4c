// The shape of one manifest file as the schema admits it (schemas/manifest.schema.json).

export interface RawBinding {
  token?: string;
  tokenId?: string;
  role: string;
}

export interface RawDeployment {
  deployment?: string;
  deploymentId?: string;
  prune?: boolean;
  workspaceTokens?: RawBinding[];
  organizationTokens?: RawBinding[];
}

export interface RawWorkspace {
  workspace?: string;
  workspaceId?: string;
  prune?: boolean;
  deployments: RawDeployment[];
}

export interface RawManifest {
  version: 1;
  organizationId: string;
  prune?: boolean;
  ignore?: string[];
  protect?: string[];
  workspaces: RawWorkspace[];
}

/** The two token-list keys of a deployment and the kind each manages. */
export const TOKEN_LISTS = [
  ['workspaceTokens', 'workspace'],
  ['organizationTokens', 'organization'],
] as const;
