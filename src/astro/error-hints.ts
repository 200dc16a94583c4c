import { DEFAULT_API_URL } from './config.ts';

// What to do about an API failure, in one sentence: the error itself says what happened, the hint
// says which setting, token or permission to look at. Never names the token's value.

export interface HintInput {
  method: string;
  baseUrl: string;
  status?: number | undefined;
  /** The transport error's code (ECONNREFUSED, ENOTFOUND, …) when there was no answer. */
  code?: string | undefined;
}

function hostAndPort(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

export function errorHint({ method, baseUrl, status, code }: HintInput): string | undefined {
  switch (code) {
    case 'ECONNREFUSED':
      return `nothing accepts connections at ${hostAndPort(baseUrl)}: check ASTRO_API_URL (now ${baseUrl})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host of ${hostAndPort(baseUrl)} could not be found (DNS): check ASTRO_API_URL (now ${baseUrl}) and the network`;
  }
  if (status === 404 && !/\/v1$/.test(new URL(baseUrl).pathname)) {
    return `ASTRO_API_URL (${baseUrl}) does not end in /v1: the API's base URL does, e.g. ${DEFAULT_API_URL}`;
  }
  if (status === 401) {
    return 'the API does not accept the token in ASTRO_API_TOKEN (expired, revoked or mistyped): create a new API token in Astro and export it';
  }
  if (status === 403) {
    return method === 'GET'
      ? 'the token in ASTRO_API_TOKEN may not read this: plan, list and export need an Organization API token (Organization Member or more), or a Workspace API token for its own workspace'
      : "the token in ASTRO_API_TOKEN may not change token roles: apply needs an Organization API token with Organization Owner (a Workspace API token with Workspace Owner can change its own workspace's tokens)";
  }
  return undefined;
}
