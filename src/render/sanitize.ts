// Names, roles and reasons come from the API or the manifest: anyone who can name a token can put
// control characters, ANSI escapes or bidi overrides in it. They are shown as visible escapes, never
// passed through, so they cannot move the cursor, recolour, reorder or forge lines of our output.

/** C0, DEL, C1, bidi embeddings/overrides/isolates, line/paragraph separators, zero-width space, BOM. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

function visible(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** One line of plain text, safe for a terminal: unsafe characters become `\xNN` / `\u{NNNN}`. */
export function sanitizeTerminal(s: string): string {
  return s.replace(UNSAFE, visible);
}
