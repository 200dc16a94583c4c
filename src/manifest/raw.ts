import type { TokenKind } from './types.ts';

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

/** The two token-list keys of a deployment and the kind each manages (the same keys in Desired). */
export const TOKEN_LISTS = [
  ['workspaceTokens', 'workspace'],
  ['organizationTokens', 'organization'],
] as const;

export type TokenListKey = (typeof TOKEN_LISTS)[number][0];

/** The token kinds, in the manifest's order. */
export const TOKEN_KINDS: readonly TokenKind[] = TOKEN_LISTS.map(([, kind]) => kind);

const KEY_OF = Object.fromEntries(TOKEN_LISTS.map(([key, kind]) => [kind, key])) as Record<TokenKind, TokenListKey>;

/** The deployment key that lists a kind's tokens: `workspaceTokens` for `workspace`. */
export function tokenListKey(kind: TokenKind): TokenListKey {
  return KEY_OF[kind];
}
