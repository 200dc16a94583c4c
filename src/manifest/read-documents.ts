import { CST, Composer, Lexer, Parser } from 'yaml';
import type { Document, LineCounter, Tags } from 'yaml';
import { MAX_DEPTH } from './limits.ts';

// YAML text → its first documents, lexed, parsed and composed in one streaming pass that stops early:
// at nesting deeper than MAX_DEPTH (the yaml composer recurses per level), and at the second document
// (a manifest has one; a second is an error, whatever follows it, which is not read).

export type ReadDocuments =
  | { tooDeepAt: number }
  | {
    /** Every document composed, in order; the last one or two may be empty. */
    docs: Document.Parsed[];
    /** The first (at most two) documents with contents or errors. */
    nonEmpty: Document.Parsed[];
    /** The offset of each composed document's first token (its `---` when it has one). */
    starts: number[];
  };

export function readDocuments(text: string, lineCounter: LineCounter): ReadDocuments {
  // Duplicate keys are reported by the loader in one pass (yaml's uniqueKeys check is quadratic).
  // logLevel 'error': a key yaml must stringify is reported as a diagnostic, not as a process warning.
  // No timestamps: under `%YAML 1.1` an unquoted `expires: 2026-12-31` would become a Date, not the text written
  // (the 1.2 core schema, the default, has none; an explicit !!timestamp tag is then refused as unresolved).
  const composer = new Composer({ prettyErrors: false, uniqueKeys: false, logLevel: 'error', customTags: withoutTimestamps });
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0); // as Parser.parse does before its first token
  const docs: Document.Parsed[] = [];
  const nonEmpty: Document.Parsed[] = [];
  const starts: number[] = [];

  const take = (composed: Iterable<Document.Parsed>): boolean => {
    for (const doc of composed) {
      docs.push(doc);
      if (doc.contents !== null || doc.errors.length > 0) nonEmpty.push(doc);
      if (nonEmpty.length === 2) return true;
    }
    return false;
  };
  /** Feeds CST tokens to the composer; the offset of a too-deep collection, or true when done reading. */
  const compose = (tokens: Iterable<CST.Token>, end: boolean): number | boolean => {
    for (const token of tokens) {
      if (token.type === 'document') {
        const deep = cstDepthExceeded(token);
        if (deep !== undefined) return deep;
        starts.push(token.offset);
      }
      if (take(composer.next(token))) return true;
      // The composer holds a document back until the next one starts: flush the second one now.
      if (starts.length === 2) return take(composer.end()) || nonEmpty.length === 2;
    }
    return end && take(composer.end());
  };

  let depth = 0;
  let offset = 0;
  for (const lexeme of new Lexer().lex(text)) {
    const type = CST.tokenType(lexeme);
    if (type === 'flow-map-start' || type === 'flow-seq-start') {
      if (++depth > MAX_DEPTH) return { tooDeepAt: offset };
    } else if (type === 'flow-map-end' || type === 'flow-seq-end') {
      depth = Math.max(0, depth - 1);
    }
    // Control lexemes (document, scalar, flow-error markers) take no room in the source.
    if (lexeme !== CST.DOCUMENT && lexeme !== CST.SCALAR && lexeme !== CST.FLOW_END) offset += lexeme.length;
    const done = compose(parser.next(lexeme), false);
    if (typeof done === 'number') return { tooDeepAt: done };
    if (done) return { docs, nonEmpty, starts };
  }
  const done = compose(parser.end(), true);
  if (typeof done === 'number') return { tooDeepAt: done };
  return { docs, nonEmpty, starts };
}

function withoutTimestamps(tags: Tags): Tags {
  return tags.filter((t) => (typeof t === 'string' ? t !== 'timestamp' : t.tag !== 'tag:yaml.org,2002:timestamp'));
}

/** Offset of the first CST collection nested deeper than MAX_DEPTH; iterative, so deep input cannot overflow. */
function cstDepthExceeded(document: CST.Document): number | undefined {
  const stack: [CST.Token, number][] = document.value ? [[document.value, 1]] : [];
  while (stack.length > 0) {
    const [token, depth] = stack.pop() as [CST.Token, number];
    if (!CST.isCollection(token)) continue;
    if (depth > MAX_DEPTH) return token.offset;
    for (const item of token.items) {
      if (item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return undefined;
}
