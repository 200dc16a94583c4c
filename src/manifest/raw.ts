import type { BindingKind, TokenKind } from './types.ts';

// The shape of one manifest file as the schema admits it (schemas/manifest.schema.json).

/** One entry of any binding list: exactly one reference pair is set, the one its list's kind uses. */
export interface RawBinding {
  token?: string;
  tokenId?: string;
  user?: string;
  userId?: string;
  team?: string;
  teamId?: string;
  role: string;
  expires?: string;
}

export interface RawDeployment {
  deployment?: string;
  deploymentId?: string;
  prune?: boolean;
  workspaceTokens?: RawBinding[];
  organizationTokens?: RawBinding[];
  users?: RawBinding[];
  teams?: RawBinding[];
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

/**
 * Each binding kind, the deployment key that lists it (the same key in Desired) and the keys its entries
 * name their subject by, in the manifest's order.
 */
export const BINDING_KINDS = [
  { kind: 'workspace', listKey: 'workspaceTokens', nameKey: 'token', idKey: 'tokenId' },
  { kind: 'organization', listKey: 'organizationTokens', nameKey: 'token', idKey: 'tokenId' },
  { kind: 'user', listKey: 'users', nameKey: 'user', idKey: 'userId' },
  { kind: 'team', listKey: 'teams', nameKey: 'team', idKey: 'teamId' },
] as const satisfies readonly { kind: BindingKind; listKey: string; nameKey: string; idKey: string }[];

export type BindingKindInfo = (typeof BINDING_KINDS)[number];
export type BindingListKey = BindingKindInfo['listKey'];

/** What the schema takes for a user's email (`$defs/email`): loose on purpose, the API has the last word. */
export const EMAIL_PATTERN = '^[^@\\s]+@[^@\\s]+$';

/** The two token-list keys of a deployment and the kind each manages. */
export const TOKEN_LISTS = [
  ['workspaceTokens', 'workspace'],
  ['organizationTokens', 'organization'],
] as const;

export type TokenListKey = (typeof TOKEN_LISTS)[number][0];

/** The token kinds, in the manifest's order. */
export const TOKEN_KINDS: readonly TokenKind[] = TOKEN_LISTS.map(([, kind]) => kind);

type InfoOf = { [K in BindingKind]: Extract<BindingKindInfo, { kind: K }> };
const INFO = Object.fromEntries(BINDING_KINDS.map((k) => [k.kind, k])) as InfoOf;

/** The list key and reference keys of a kind: `users` / `user` / `userId` for `user`. */
export function bindingKind<K extends BindingKind>(kind: K): InfoOf[K] {
  return INFO[kind];
}

/** The deployment key that lists a kind's tokens: `workspaceTokens` for `workspace`. */
export function tokenListKey(kind: TokenKind): TokenListKey {
  return INFO[kind].listKey;
}
