// The API token must never reach an error, a log line or a debug trace.

export const MASK = '***';

/** Replaces every occurrence of the secret in `text` with ***. */
export function redact(text: string, secret: string): string {
  return secret === '' ? text : text.split(secret).join(MASK);
}
