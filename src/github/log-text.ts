import { sanitizeTerminal } from '../util/sanitize.ts';

// The runner reads workflow commands from the log: a line starting (after blanks) with `::`, or the
// older `##[...]` anywhere in a line. A name from the API or the manifest must never become one, so
// data goes through logText (one line, control characters visible) and every line the Action logs
// goes through commandSafe, which defangs what would still read as a command.

/** Our own (multi-line) text: no line can start a workflow command. */
export function commandSafe(text: string): string {
  return text.replace(/^([ \t]*):(?=:)/gm, '$1\\x3a').replace(/##\[/g, '#\\x23[');
}

/** An untrusted string for the log: one line, control characters and newlines shown as escapes. */
export function logText(s: string): string {
  return commandSafe(sanitizeTerminal(s));
}
