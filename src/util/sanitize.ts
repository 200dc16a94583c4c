// Names, roles, messages and request IDs come from the API, the manifest or the environment: anyone who
// can name a token can put control characters, ANSI escapes or bidi overrides in it. They are shown as
// visible escapes, never passed through, so they cannot move the cursor, recolour, retitle, reorder or
// start lines of our output.

/** C0, DEL, C1, bidi marks/embeddings/overrides/isolates, zero-width characters, line/paragraph separators, BOM. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

/** The same, except newline and tab: what may appear raw in output we compose ourselves. */
const UNSAFE_IN_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

/** `\x1b`, `\u202e`: the escape a reader recognises, never the character itself. */
export function visible(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One value inside a line, safe for a terminal: every unsafe character (newline and tab too) escaped. */
export function sanitizeTerminal(s: string): string {
  return s.replace(UNSAFE, visible);
}

/**
 * Whole output text: newlines and tabs stay, every other unsafe character is escaped. `keep` lets
 * exactly the escape sequences we emit ourselves (colours) through; every other ESC is escaped.
 */
export function sanitizeLines(s: string, keep?: RegExp): string {
  if (keep === undefined) return s.replace(UNSAFE_IN_LINES, visible);
  let out = '';
  let last = 0;
  for (const m of s.matchAll(keep)) {
    out += s.slice(last, m.index).replace(UNSAFE_IN_LINES, visible) + m[0];
    last = m.index + m[0].length;
  }
  return out + s.slice(last).replace(UNSAFE_IN_LINES, visible);
}

/** Characters JSON.stringify leaves raw that a terminal or an editor would act on. */
const JSON_RAW_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

/** JSON text in which every unsafe character is a \uXXXX escape: the same data, safe to print or save. */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(JSON_RAW_UNSAFE, (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/** A value quoted in a message: `"a\nb"`, every control, bidi and zero-width character escaped. */
export function quote(s: string): string {
  return safeJson(s);
}
