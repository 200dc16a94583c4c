import type { SourceLocation } from './types.ts';
import type { PathSegment, Positions } from './locate.ts';

// A fast reader for the plain YAML that generated and hand-written manifests use: block mappings and
// lists, manifest keys, plain scalars, comments. A 100,000-binding manifest read by the yaml package
// builds a syntax tree and a document of ~70 MB per 1.4 MB file; this builds the data and a small
// position tree in one pass over the lines. It reads a strict subset of YAML and gives the same data and
// positions as the yaml package does there; anything else (quotes, flow, anchors, tags, tabs, empty
// values, duplicate keys, odd indentation, …) makes it give up, and the caller uses the yaml package, so
// every diagnostic still comes from there.

/** The keys of the manifest schema: any other key is left to the full reader (and its messages). */
const KEYS = new Set([
  'version', 'organizationId', 'prune', 'ignore', 'protect', 'workspaces',
  'workspace', 'workspaceId', 'deployments', 'deployment', 'deploymentId',
  'workspaceTokens', 'organizationTokens', 'token', 'tokenId', 'role',
  'users', 'user', 'userId', 'teams', 'team', 'teamId', 'expires',
]);
/**
 * A plain scalar that is a string under the YAML 1.2 core schema whatever else it holds: starts with a
 * letter, no indicators (`@` and `+` are indicators only as a scalar's first character: emails are read).
 */
const STRING = /^[A-Za-z][A-Za-z0-9_./@+-]*(?: [A-Za-z0-9_./@+-]+)*$/;
/**
 * An `expires` written unquoted: a string in the core schema, which has no timestamps (YAML 1.1 had; the
 * yaml package is told to drop them, see read-documents.ts). Only the shape is matched here; the checks
 * report a wrong date or time.
 */
const DATE_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2}))?$/;
/** The other booleans and nulls of the core schema that STRING matches (`true` and `false` are read). */
const NOT_STRINGS = new Set(['True', 'TRUE', 'False', 'FALSE', 'null', 'Null', 'NULL']);
const INTEGER = /^(?:0|[1-9][0-9]{0,14})$/;
/** Deeper than any manifest (which nests 7 levels): beyond it, give up rather than recurse. */
const MAX_NESTING = 16;

/** A scalar is its offset; a mapping a flat list of key, key offset, value, …; a list its `-` and items. */
type Node = number | MapNode | SeqNode;
type MapNode = (string | number | Node)[];
class SeqNode {
  constructor(readonly at: number, readonly items: Node[]) {}
}

export interface SimpleYaml {
  data: Record<string, unknown>;
  positions: Positions;
}

class GiveUp extends Error {}
const giveUp = (): never => {
  throw new GiveUp();
};

/** The data and positions of `text`, or undefined when it is not in the subset read here. */
export function readSimpleYaml(file: string, text: string): SimpleYaml | undefined {
  if (text.includes('\t') || text.includes('\r')) return undefined;
  try {
    const reader = new Reader(text);
    if (reader.done) return undefined;
    // Gives up unless the whole text is one mapping at column 1.
    const { data, node } = reader.map(0, 0);
    return { data, positions: new SimplePositions(file, node, reader.lineStarts) };
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
}

const KEY_AT = /([A-Za-z]+):(?=[ \n]|$)/y;

/** Reads line by line, keeping only the current line (a large manifest has 60,000 lines a file). */
class Reader {
  /** The offset where each line starts, as the yaml package's LineCounter has them. */
  readonly lineStarts: number[] = [];
  /** The current line with content: its indentation, where its content starts and ends; or done. */
  indent = 0;
  offset = 0;
  end = 0;
  done = false;
  private nextStart = 0;

  constructor(private readonly text: string) {
    this.advance();
  }

  /** To the next line with content (comment lines, at any indentation, have none). */
  private advance(): void {
    const text = this.text;
    while (this.nextStart <= text.length) {
      const start = this.nextStart;
      const nl = text.indexOf('\n', start);
      const end = nl === -1 ? text.length : nl;
      this.lineStarts.push(start);
      this.nextStart = end + 1;
      let i = start;
      while (i < end && text.charCodeAt(i) === 32) i++;
      if (i === end || text.charCodeAt(i) === 35) continue;
      this.indent = i - start;
      this.offset = i;
      this.end = end;
      return;
    }
    this.done = true;
  }

  /** The key at `offset` and the length of `key:`, or undefined. */
  private keyAt(offset: number): [string, number] | undefined {
    KEY_AT.lastIndex = offset;
    const m = KEY_AT.exec(this.text);
    return m?.[1] !== undefined ? [m[1], m[0].length] : undefined;
  }

  /** The first offset at or after `offset` on the current line that is not a space (YAML's only separator here). */
  private skipSpaces(offset: number): number {
    while (offset < this.end && this.text.charCodeAt(offset) === 32) offset++;
    return offset;
  }

  private isDash(): boolean {
    const next = this.offset + 1;
    return this.text.charCodeAt(this.offset) === 45 && (next === this.end || this.text.charCodeAt(next) === 32);
  }

  /** The block mapping whose keys stand at `indent`, from the current line on. */
  map(indent: number, depth: number): { data: Record<string, unknown>; node: MapNode } {
    if (depth > MAX_NESTING) giveUp();
    const data: Record<string, unknown> = {};
    const node: MapNode = [];
    while (!this.done && this.indent === indent) {
      const found = this.keyAt(this.offset) ?? giveUp();
      const [key, length] = found;
      if (!KEYS.has(key) || Object.hasOwn(data, key)) giveUp();
      const keyOffset = this.offset;
      const valueAt = this.skipSpaces(keyOffset + length);
      const scalar = plainScalar(this.text.slice(valueAt, this.end));
      this.advance();
      if (scalar !== undefined) {
        data[key] = scalar;
        node.push(key, keyOffset, valueAt);
        continue;
      }
      // An empty value (or a list at the key's own indentation) is left to the yaml package.
      if (this.done || this.indent <= indent) giveUp();
      const nested = this.isDash() ? this.seq(this.indent, depth + 1) : this.map(this.indent, depth + 1);
      data[key] = nested.data;
      node.push(key, keyOffset, nested.node);
    }
    this.expectOutdent(indent);
    return { data, node };
  }

  /** The block list whose `-` stand at `indent`. */
  seq(indent: number, depth: number): { data: unknown[]; node: SeqNode } {
    if (depth > MAX_NESTING) giveUp();
    const data: unknown[] = [];
    const node = new SeqNode(this.offset, []);
    while (!this.done && this.indent === indent) {
      if (!this.isDash()) giveUp();
      const content = this.skipSpaces(this.offset + 1);
      if (this.keyAt(content) === undefined) {
        const scalar = plainScalar(this.text.slice(content, this.end)) ?? giveUp();
        data.push(scalar);
        node.items.push(content);
        this.advance();
        continue;
      }
      // `- key: value`: a mapping whose keys stand where this first one does.
      this.indent += content - this.offset;
      this.offset = content;
      const item = this.map(this.indent, depth + 1);
      data.push(item.data);
      node.items.push(item.node);
    }
    this.expectOutdent(indent);
    return { data, node };
  }

  /** After a block ends, the next line must stand further left (or there is none). */
  private expectOutdent(indent: number): void {
    if (!this.done && this.indent >= indent) giveUp();
  }
}

/**
 * The rest of a line from the first non-space after `key: ` or `- `: its plain scalar value, undefined when
 * empty; gives up on anything else. Only spaces are trimmed: YAML keeps other white space (U+00A0, …) that
 * String.trim would drop.
 */
function plainScalar(rest: string): string | number | boolean | undefined {
  if (rest === '' || rest.startsWith('#')) return undefined;
  let end = rest.indexOf(' #');
  if (end === -1) end = rest.length;
  while (rest.charCodeAt(end - 1) === 32) end--;
  const value = rest.slice(0, end);
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (INTEGER.test(value)) return Number(value);
  if (DATE_TIME.test(value)) return value;
  if (NOT_STRINGS.has(value) || !STRING.test(value)) return giveUp();
  return value;
}

class SimplePositions implements Positions {
  constructor(readonly file: string, private readonly root: MapNode, private readonly lineStarts: number[]) {}

  // No value in this subset is empty, so a value always stands at its own first character.
  value(path: readonly PathSegment[]): SourceLocation {
    return this.at(start(this.find(path).node));
  }

  key(path: readonly PathSegment[]): SourceLocation {
    const { keyAt } = this.find(path);
    return keyAt !== undefined ? this.at(keyAt) : this.value(path);
  }

  entry(path: readonly PathSegment[]): SourceLocation {
    return this.value(path);
  }

  /** Follows a path through mappings and lists; stops at the deepest node that exists. */
  private find(path: readonly PathSegment[]): { node: Node; keyAt?: number } {
    let found: { node: Node; keyAt?: number } = { node: this.root };
    for (const segment of path) {
      const node = found.node;
      let next: { node: Node; keyAt?: number } | undefined;
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i += 3) {
          if (node[i] === String(segment)) {
            next = { node: node[i + 2] as Node, keyAt: node[i + 1] as number };
            break;
          }
        }
      } else if (node instanceof SeqNode && typeof segment === 'number') {
        const item = node.items[segment];
        if (item !== undefined) next = { node: item };
      }
      if (next === undefined) return found;
      found = next;
    }
    return found;
  }

  private at(offset: number): SourceLocation {
    // The last line starting at or before `offset`.
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, col: offset - (this.lineStarts[lo] ?? 0) + 1 };
  }
}

/** A mapping starts at its first key, a list at its first `-`. */
function start(node: Node): number {
  if (typeof node === 'number') return node;
  return Array.isArray(node) ? (node[1] as number | undefined) ?? 0 : node.at;
}
