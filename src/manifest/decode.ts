import type { Diagnostic } from './types.ts';
import { MAX_CONTROL_CHAR_REPORTS, MAX_FILE_BYTES } from './limits.ts';
import { lineColAt } from './line-col.ts';

// Bytes (or text) → checked text: size cap, strict UTF-8, BOM stripped, no control characters.

export type Decoded = { ok: true; text: string } | { ok: false; errors: Diagnostic[] };

export function decodeSource(file: string, input: string | Uint8Array): Decoded {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (bytes > MAX_FILE_BYTES) {
    return fail(file, 1, 1, `file is too large (${bytes} bytes; the limit is ${MAX_FILE_BYTES} bytes)`);
  }
  let text: string;
  if (typeof input === 'string') {
    text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  } else {
    try {
      // The decoder strips a leading BOM (ignoreBOM defaults to false).
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      const at = firstInvalidByte(input);
      const prefix = new TextDecoder('utf-8').decode(input.subarray(0, at));
      const { line, col } = lineColAt(prefix, prefix.length);
      const byte = input[at] ?? 0;
      return fail(file, line, col, `file is not valid UTF-8 (byte 0x${byte.toString(16).padStart(2, '0')}); save it as UTF-8`);
    }
  }
  const errors = controlCharacters(file, text);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, text };
}

/** Index of the byte where strict decoding first fails: the longest prefix that is a valid (possibly incomplete) stream. */
function firstInvalidByte(bytes: Uint8Array): number {
  const validPrefix = (n: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0; // valid
  let hi = bytes.length; // the whole input is invalid (it failed to decode)
  if (validPrefix(hi)) return sequenceStart(bytes, hi); // only an incomplete sequence at the very end
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (validPrefix(mid)) lo = mid;
    else hi = mid;
  }
  return sequenceStart(bytes, lo);
}

/** Where the sequence that byte `at` broke begins: its lead byte if still incomplete there, else `at`. */
function sequenceStart(bytes: Uint8Array, at: number): number {
  let lead = at;
  while (lead > 0 && at - lead < 3 && ((bytes[lead - 1] ?? 0) & 0xc0) === 0x80) lead--;
  const first = bytes[lead - 1] ?? 0;
  const length = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return lead > 0 && length > 1 && lead - 1 + length > at ? lead - 1 : Math.min(at, bytes.length - 1);
}

// YAML's printable set excludes C0 controls other than tab/LF/CR, DEL, C1 controls other than NEL, and U+FFFE/U+FFFF.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/g;

function controlCharacters(file: string, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  let count = 0;
  for (const m of text.matchAll(CONTROL)) {
    count++;
    if (out.length >= MAX_CONTROL_CHAR_REPORTS) continue;
    const { line, col } = lineColAt(text, m.index);
    const code = (m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    out.push({ file, line, col, message: `control character U+${code} is not allowed` });
  }
  const last = out[out.length - 1];
  if (last !== undefined && count > out.length) {
    last.message += ` (and ${count - out.length} more control characters)`;
  }
  return out;
}

function fail(file: string, line: number, col: number, message: string): Decoded {
  return { ok: false, errors: [{ file, line, col, message }] };
}
