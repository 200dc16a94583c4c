// The ID of the token running astro-access, read from the `apiTokenId` claim of its JWT. The token is
// decoded, never verified, and never echoed: warnings say what is wrong without quoting any of it.

export interface JwtTokenId {
  id: string | null;
  warning?: string;
}

const SKIPPED = 'the guard that keeps the running token from changing its own roles is skipped';

export function tokenIdFromJwt(token: string): JwtTokenId {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[1]) {
    return { id: null, warning: `ASTRO_API_TOKEN is not a JWT, so its token ID is unknown; ${SKIPPED}` };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { id: null, warning: `ASTRO_API_TOKEN has no readable JWT payload; ${SKIPPED}` };
  }
  const id =
    payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>)['apiTokenId'] : undefined;
  if (typeof id !== 'string' || id === '') {
    return { id: null, warning: `ASTRO_API_TOKEN has no apiTokenId claim; ${SKIPPED}` };
  }
  return { id };
}
