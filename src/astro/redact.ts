// The API token must never reach an error, a log line or a debug trace.

export const MASK = '***';

/**
 * Shorter values are not masked: a real token is long, and masking a one- or two-character test
 * value would garble IDs and paths instead of protecting anything.
 */
const MIN_SECRET_LENGTH = 8;

/** Replaces every occurrence of the secret in `text` with ***. */
export function redact(text: string, secret: string): string {
  return secret.length < MIN_SECRET_LENGTH ? text : text.split(secret).join(MASK);
}
