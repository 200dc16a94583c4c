import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Alias, Document, LineCounter, Node, Pair, YAMLMap } from 'yaml';
import type { SourceLocation } from './types.ts';

export type PathSegment = string | number;

interface Found {
  node: Node | null;
  /** The pair holding `node` when its parent is a mapping. */
  pair?: Pair<unknown, unknown>;
}

/** Maps paths in the loaded data (as ajv and the checks see them) back to positions in the file. */
export interface Positions {
  readonly file: string;
  /** Where a value stands; an empty value points at its key, or at the `-` of its list item. */
  value(path: readonly PathSegment[]): SourceLocation;
  /** Where a mapping key stands (for unknown keys and `use either ... not both`). */
  key(path: readonly PathSegment[]): SourceLocation;
  /** A mapping's first key (for a missing required key), or the list item itself. */
  entry(path: readonly PathSegment[]): SourceLocation;
}

/** Positions in a document the yaml package composed. */
export class Locator implements Positions {
  readonly file: string;
  private readonly doc: Document.Parsed;
  private readonly lineCounter: LineCounter;
  private readonly text: string;
  private readonly aliases: ReadonlyMap<Alias, Node | undefined> | undefined;
  /** Each mapping's pairs by key, built on first use: a lookup per error must not scan a wide mapping. */
  private readonly keyIndex = new WeakMap<YAMLMap, Map<string, Pair<unknown, unknown>>>();

  /** `aliases`: each alias's target, resolved once (see resolveAliases); without it aliases resolve one by one. */
  constructor(
    file: string,
    doc: Document.Parsed,
    lineCounter: LineCounter,
    text: string,
    aliases?: ReadonlyMap<Alias, Node | undefined>,
  ) {
    this.file = file;
    this.doc = doc;
    this.lineCounter = lineCounter;
    this.text = text;
    this.aliases = aliases;
  }

  at(offset: number): SourceLocation {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, col };
  }

  /** Where a value stands; an empty value points at its key, or at the `-` of its list item. */
  value(path: readonly PathSegment[]): SourceLocation {
    const found = this.find(path);
    const node = found.node;
    if (node === null || isEmpty(node)) {
      const keyNode = found.pair?.key;
      if (isNodeWithRange(keyNode)) return this.at(keyNode.range[0]);
      if (node?.range) return this.at(this.dashBefore(node.range[0]));
    }
    return this.start(node);
  }

  /** Where a mapping key stands (for unknown keys and `use either ... not both`). */
  key(path: readonly PathSegment[]): SourceLocation {
    const found = this.find(path);
    const keyNode = found.pair?.key;
    if (isNodeWithRange(keyNode)) return this.at(keyNode.range[0]);
    return this.value(path);
  }

  /** A mapping's first key (for a missing required key), or the list item itself. */
  entry(path: readonly PathSegment[]): SourceLocation {
    const { node } = this.find(path);
    if (isMap(node)) {
      const first = node.items[0]?.key;
      if (isNodeWithRange(first)) return this.at(first.range[0]);
    }
    return this.value(path);
  }

  /** Follows a path through mappings, lists and aliases; stops at the deepest node that exists. */
  private find(path: readonly PathSegment[]): Found {
    let found: Found = { node: this.doc.contents };
    for (const segment of path) {
      const node = this.resolve(found.node);
      let next: Found | undefined;
      if (isMap(node)) {
        const pair = this.pairs(node).get(String(segment));
        if (pair) next = { node: isNodeWithRange(pair.value) ? pair.value : null, pair };
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (isNodeWithRange(item)) next = { node: item };
      }
      if (!next) return found;
      found = next;
    }
    return found;
  }

  private resolve(node: Node | null): Node | null {
    if (!isAlias(node)) return node;
    if (this.aliases?.has(node)) return this.aliases.get(node) ?? null;
    return (node.resolve(this.doc) as Node | undefined) ?? null;
  }

  /** The first pair for each key, as a scan from the start would find it. */
  private pairs(map: YAMLMap): Map<string, Pair<unknown, unknown>> {
    let index = this.keyIndex.get(map);
    if (index === undefined) {
      index = new Map();
      for (const pair of map.items) {
        const key = keyText(pair.key);
        if (key !== undefined && !index.has(key)) index.set(key, pair);
      }
      this.keyIndex.set(map, index);
    }
    return index;
  }

  private start(node: Node | null): SourceLocation {
    return this.at(node?.range?.[0] ?? 0);
  }

  /** The `-` of a list item whose value is empty (same line only). */
  private dashBefore(offset: number): number {
    for (let i = offset - 1; i >= 0; i--) {
      const ch = this.text[i];
      if (ch === '-') return i;
      if (ch === '\n') break;
    }
    return offset;
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function isNodeWithRange(x: unknown): x is Node & { range: [number, number, number] } {
  return typeof x === 'object' && x !== null && !isPair(x) && 'range' in x && Array.isArray((x as Node).range);
}

function isEmpty(node: Node): boolean {
  return isScalar(node) && node.value === null && (node.source === '' || node.source === undefined);
}
