import { parse } from 'yaml';
import { safeJson, sanitizeTerminal, visible } from '../util/sanitize.ts';

// The pieces of text `export` writes values with. Every name, role and ID comes from the API: a value is
// written only as text that reads back as exactly that value, and comments are escaped, so no value can
// add lines to the manifest.

const PLAIN = /^[A-Za-z_][A-Za-z0-9 _.\/-]*[A-Za-z0-9_.\/-]$|^[A-Za-z_]$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

/** A YAML scalar: plain when unambiguous, else double-quoted with every unsafe character escaped. */
export function yamlScalar(s: string): string {
  if (PLAIN.test(s) && !RESERVED.test(s) && !s.includes(': ') && !s.includes(' #')) return s;
  // A JSON string is a YAML double-quoted scalar; U+FFFE/U+FFFF may not appear raw in a manifest.
  return safeJson(s).replace(/[\ufffe\uffff]/g, (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16)}`);
}

/** The scalar for a name, or undefined when no manifest could carry it (empty, or it does not read back). */
export function nameScalar(s: string): string | undefined {
  if (s === '') return undefined;
  const text = yamlScalar(s);
  try {
    return parse(text) === s ? text : undefined;
  } catch {
    return undefined;
  }
}

/** One line of comment text: newlines and every other control or bidi character shown escaped. */
export function comment(s: string): string {
  return sanitizeTerminal(s).replace(/[\ufffe\uffff]/g, visible);
}

export function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(key(i), (counts.get(key(i)) ?? 0) + 1);
  return counts;
}

/** Why a subject is written by ID: its name is shared, or no manifest can carry it. */
export function sharedOrUnwritable(count: number | undefined, what: string): string {
  return (count ?? 0) > 1 ? `name shared by ${count} ${what}` : 'name not usable in a manifest';
}

/** Checks an ID is an Astro ID (a refusal is recorded as a problem) and gives it back. */
export type IdCheck = (what: string, value: string) => string;
/** The scalar for a role name (a refusal is recorded as a problem). */
export type RoleScalar = (role: string) => string;
