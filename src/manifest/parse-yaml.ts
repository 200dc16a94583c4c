import { LineCounter, isAlias, isMap, isScalar, isSeq, visit } from 'yaml';
import type { Alias, Document, Node, YAMLError } from 'yaml';
import type { Diagnostic, Excerpt } from './types.ts';
import { MAX_ALIAS_COUNT, MAX_DEPTH } from './limits.ts';
import { append } from './append.ts';
import { lineColAt } from './line-col.ts';
import { Locator } from './locate.ts';
import type { Positions } from './locate.ts';
import { readDocuments } from './read-documents.ts';
import { quote } from '../util/sanitize.ts';

// YAML text → one document as plain data, with a Locator for positions. Never throws for bad input.

export interface ParsedYaml {
  /** The document as plain JS data: a mapping (checked here). */
  data: Record<string, unknown>;
  locator: Positions;
}

export interface ParseYamlResult {
  parsed?: ParsedYaml;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export function parseYaml(file: string, text: string): ParseYamlResult {
  const lineCounter = new LineCounter();
  const diag = (offset: number, message: string): Diagnostic => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col, message };
  };
  const tooDeep = (offset: number) => ({
    errors: [{ file, ...lineColAt(text, offset), message: `nesting is deeper than ${MAX_DEPTH} levels` }],
    warnings: [],
  });

  const read = readDocuments(text, lineCounter);
  if ('tooDeepAt' in read) return tooDeep(read.tooDeepAt);
  const { docs, nonEmpty, starts } = read;
  const first = nonEmpty[0];
  if (first === undefined) {
    return { errors: [diag(0, 'file is empty: a manifest starts with "version: 1"')], warnings: [] };
  }
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const second = nonEmpty[1];
  if (second !== undefined) {
    errors.push(diag(starts[docs.indexOf(second)] ?? second.range[0],
      'only one YAML document per file: move this one to a file of its own'));
  }
  // After a tab in the indentation, yaml's further errors are consequences of it: report only the tabs.
  const tabs = first.errors.filter((e) => e.code === 'TAB_AS_INDENT');
  // (yaml does not check duplicate keys here: keyProblems reports them, with the first occurrence.)
  for (const e of tabs.length > 0 ? tabs : first.errors) {
    const d = diag(e.pos[0], yamlMessage(e));
    errors.push({ ...d, excerpt: excerptAt(text, lineCounter, d.line, d.col) });
  }
  // An unresolved tag or unknown directive would be read as something other than what it says: refuse it.
  for (const w of first.warnings) {
    const message = w.message.split('\n')[0] ?? w.message;
    if (w.code === 'TAG_RESOLVE_FAILED') errors.push(diag(w.pos[0], `${message}: a manifest uses plain YAML, without tags`));
    else if (w.code === 'BAD_DIRECTIVE') errors.push(diag(w.pos[0], `${message}: only %YAML and %TAG directives exist`));
    else warnings.push(diag(w.pos[0], message));
  }
  // Syntax errors and odd keys leave a structure not worth checking further; duplicate keys do not.
  if (errors.length > 0) return { errors, warnings };
  const keys = keyProblems(first, diag, lineCounter);
  if (keys.invalid.length > 0) return { errors: [...keys.invalid, ...keys.duplicates], warnings };
  append(errors, keys.duplicates);

  const root = first.contents;
  if (!isMap(root)) {
    const found = isSeq(root) ? 'a list' : 'a single value';
    errors.push(diag(root?.range[0] ?? 0,
      `a manifest must be a mapping of keys (version, organizationId, workspaces), found ${found}`));
    return { errors, warnings };
  }
  const aliases = resolveAliases(first);
  const aliasErrors = unresolvedAliases(aliases, diag);
  if (aliasErrors.length > 0) return { errors: [...errors, ...aliasErrors], warnings };
  // More aliases than the cap would make toJS throw anyway, after resolving each one by a walk of the document.
  const firstAliasAt = aliases.keys().next().value?.range?.[0] ?? 0;
  if (aliases.size > MAX_ALIAS_COUNT) {
    errors.push(diag(firstAliasAt, tooManyAliases));
    return { errors, warnings };
  }
  let data: unknown;
  try {
    data = first.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // The yaml package throws a ReferenceError when aliases expand too much ("billion laughs").
    const at = firstAliasAt;
    const why = e instanceof Error && /alias/i.test(e.message)
      ? tooManyAliases
      : 'this YAML cannot be converted to data';
    errors.push(diag(at, why));
    return { errors, warnings };
  }
  return {
    parsed: { data: data as Record<string, unknown>, locator: new Locator(file, first, lineCounter, text, aliases) },
    errors,
    warnings,
  };
}

/** Line `line` (1-based) of the text, without its line break. */
function sourceLine(text: string, lineCounter: LineCounter, line: number): string {
  const start = lineCounter.lineStarts[line - 1] ?? text.length;
  const end = lineCounter.lineStarts[line] ?? text.length;
  return text.slice(start, end).replace(/\r?\n$/, '');
}

/** The line to show for an error; one found at a blank end of file is shown after the last line with text. */
function excerptAt(text: string, lineCounter: LineCounter, line: number, col: number): Excerpt {
  let at = line;
  let source = sourceLine(text, lineCounter, at);
  if (source.trim() !== '') return { line, col, text: source };
  while (at > 1 && source.trim() === '') source = sourceLine(text, lineCounter, --at);
  return at === line ? { line, col, text: source } : { line: at, col: source.length + 1, text: source };
}

const tooManyAliases = `aliases expand to too many nodes (limit ${MAX_ALIAS_COUNT}); write the entries out`;

function yamlMessage(e: YAMLError): string {
  if (e.code === 'TAB_AS_INDENT') return 'tab used for indentation: indent with spaces';
  const first = e.message.split('\n')[0] ?? e.message;
  return `YAML syntax error: ${first.replace(/ at line \d+, column \d+:?$/, '')}`;
}

/** Duplicate keys, and keys that are not plain names (a list, a mapping, nothing) which no manifest uses. */
function keyProblems(
  doc: Document.Parsed,
  diag: (offset: number, message: string) => Diagnostic,
  lineCounter: LineCounter,
): { duplicates: Diagnostic[]; invalid: Diagnostic[] } {
  const duplicates: Diagnostic[] = [];
  const invalid: Diagnostic[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        const key: unknown = pair.key;
        if (!isScalar(key) || key.value === null || key.value === undefined) {
          const at = (key as { range?: number[] } | null)?.range?.[0]
            ?? (pair.value as { range?: number[] } | null)?.range?.[0] ?? map.range?.[0] ?? 0;
          invalid.push(diag(at, 'a key must be a plain name, not a list, a mapping or nothing'));
          continue;
        }
        if (!key.range) continue;
        const name = String(key.value);
        const firstAt = seen.get(name);
        if (firstAt === undefined) {
          seen.set(name, key.range[0]);
        } else {
          const line = lineCounter.linePos(firstAt).line;
          duplicates.push(diag(key.range[0], `duplicate key ${quote(name)} (first at line ${line})`));
        }
      }
    },
  });
  return { duplicates, invalid };
}

/**
 * Each alias (in document order) → the node it stands for: the last node anchored with its name before it,
 * as yaml's Alias.resolve finds it, but in one walk instead of one walk per alias.
 */
export function resolveAliases(doc: Document.Parsed): Map<Alias, Node | undefined> {
  const anchors = new Map<string, Node>();
  const out = new Map<Alias, Node | undefined>();
  visit(doc, {
    Node(_, node) {
      if (isAlias(node)) out.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return out;
}

function unresolvedAliases(
  aliases: Map<Alias, Node | undefined>,
  diag: (offset: number, message: string) => Diagnostic,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [alias, target] of aliases) {
    if (target === undefined) out.push(diag(alias.range?.[0] ?? 0, `unknown alias *${alias.source}`));
  }
  return out;
}
