// The API token must never reach an error, a log line, a file or a debug trace.

export const MASK = '***';

/**
 * Shorter values are not masked: a real token is long, and masking a one- or two-character test
 * value would garble IDs and paths instead of protecting anything.
 */
const MIN_SECRET_LENGTH = 8;

/** Whatever follows `Bearer ` is a credential, ours or not. */
const BEARER = /\b(Bearer)\s+(?!\[REDACTED\]|\*\*\*)[^\s"',;<>]+/gi;

/** Replaces every occurrence of each secret, and any credential after `Bearer `, with ***. */
export function redact(text: string, ...secrets: (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(MASK);
  }
  return out.replace(BEARER, (_m, word: string) => `${word} ${MASK}`);
}
