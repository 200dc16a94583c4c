import { sanitizeTerminal } from '../util/sanitize.ts';

// Strings from the API or the manifest go into PR comments that GitHub renders as markdown + HTML and
// scans for @mentions, #references and bare links. Outside code, every character with a meaning
// becomes a numeric character reference: CommonMark treats those as literal text and never as syntax,
// and they are equally inert inside raw HTML such as <summary> or a table cell. Mentions, references
// and links are recognized *after* entities are decoded, so those are broken with a zero-width space.

const ZWSP = '&#8203;';
const SPECIAL = /[\\`*_[\]<>#|~&@]/g;

function entity(ch: string): string {
  return `&#${ch.codePointAt(0)};`;
}

/** Text safe anywhere in markdown or HTML outside code: no markup, no mention, no link, no reference. */
export function escapeMarkdownText(s: string): string {
  return sanitizeTerminal(s)
    .replace(SPECIAL, (ch) => (ch === '@' ? `@${ZWSP}` : entity(ch)))
    .replace(/&#35;(?=\d)/g, `&#35;${ZWSP}`)
    .replace(/:(?=\/\/)/g, `:${ZWSP}`)
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}${ZWSP}.`);
}

/**
 * Text for one line inside a fenced code block: no character can end the line (control characters
 * are escaped), so no fence can be closed early; backtick runs are handled by `fenceFor`.
 */
export function escapeCodeLine(s: string): string {
  return sanitizeTerminal(s);
}

/** A backtick fence longer than any backtick run in the block's lines, so none of them can close it. */
export function fenceFor(lines: readonly string[]): string {
  let longest = 0;
  for (const line of lines) for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** Inline code as HTML, so a backtick or pipe in the value cannot end it (or a table cell). */
export function code(s: string): string {
  return `<code>${escapeMarkdownText(s)}</code>`;
}
