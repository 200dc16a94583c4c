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
]);
const KEY = /^([A-Za-z]+):(?= |$)/;
/** A plain scalar that is a string under the YAML 1.2 core schema whatever else it holds: starts with a letter, no indicators. */
const STRING = /^[A-Za-z][A-Za-z0-9_./-]*(?: [A-Za-z0-9_./-]+)*$/;
const NOT_STRINGS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL']);
const INTEGER = /^(?:0|[1-9][0-9]{0,14})$/;
/** Deeper than any manifest (which nests 7 levels): beyond it, give up rather than recurse. */
const MAX_NESTING = 16;

type Node = number | MapNode | SeqNode;
/** A scalar is its offset; a mapping its keys (offsets) and values; a list its `-` and items. */
interface MapNode { keys: string[]; keyAt: number[]; values: Node[] }
interface SeqNode { at: number; items: Node[] }

interface Line {
  indent: number;
  /** Offset of the first character after the indentation. */
  offset: number;
  content: string;
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
  const lineStarts: number[] = [];
  const lines: Line[] = [];
  for (let start = 0; start <= text.length;) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    lineStarts.push(start);
    let indent = 0;
    while (text.charCodeAt(start + indent) === 32 && start + indent < end) indent++;
    const content = text.slice(start + indent, end);
    // Comments only before the first content line: elsewhere their indentation is left to the yaml package.
    if (content !== '' && !(content.startsWith('#') && lines.length === 0)) {
      lines.push({ indent, offset: start + indent, content });
    }
    if (nl === -1) break;
    start = nl + 1;
  }
  const first = lines[0];
  if (first === undefined || first.indent !== 0) return undefined;
  try {
    const reader = new Reader(lines);
    const { data, node } = reader.map(0, 0);
    if (reader.next < lines.length) return undefined;
    return { data, positions: new SimplePositions(file, node, lineStarts) };
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
}

class Reader {
  next = 0;
  constructor(private readonly lines: Line[]) {}

  /** The block mapping whose keys stand at `indent`, from the current line on. */
  map(indent: number, depth: number): { data: Record<string, unknown>; node: MapNode } {
    if (depth > MAX_NESTING) giveUp();
    const data: Record<string, unknown> = {};
    const node: MapNode = { keys: [], keyAt: [], values: [] };
    for (let line = this.lines[this.next]; line !== undefined && line.indent === indent; line = this.lines[this.next]) {
      const m = KEY.exec(line.content);
      const key = m?.[1];
      if (m === null || key === undefined || !KEYS.has(key) || Object.hasOwn(data, key)) return giveUp();
      node.keys.push(key);
      node.keyAt.push(line.offset);
      const rest = line.content.slice(m[0].length);
      const after = rest.length - rest.trimStart().length;
      const scalar = plainScalar(rest);
      this.next++;
      if (scalar !== undefined) {
        data[key] = scalar;
        node.values.push(line.offset + m[0].length + after);
        continue;
      }
      const child = this.lines[this.next];
      // An empty value (or a list at the key's own indentation) is left to the yaml package.
      if (child === undefined || child.indent <= indent) return giveUp();
      const nested = isDash(child.content) ? this.seq(child.indent, depth + 1) : this.map(child.indent, depth + 1);
      data[key] = nested.data;
      node.values.push(nested.node);
    }
    this.expectOutdent(indent);
    return { data, node };
  }

  /** The block list whose `-` stand at `indent`. */
  seq(indent: number, depth: number): { data: unknown[]; node: SeqNode } {
    if (depth > MAX_NESTING) giveUp();
    const data: unknown[] = [];
    const at = this.lines[this.next]?.offset ?? giveUp();
    const node: SeqNode = { at, items: [] };
    for (let line = this.lines[this.next]; line !== undefined && line.indent === indent; line = this.lines[this.next]) {
      if (!isDash(line.content)) return giveUp();
      const rest = line.content.slice(1);
      const spaces = rest.length - rest.trimStart().length;
      const content = rest.slice(spaces);
      if (!KEY.test(content)) {
        const scalar = plainScalar(rest) ?? giveUp();
        data.push(scalar);
        node.items.push(line.offset + 1 + spaces);
        this.next++;
        continue;
      }
      // `- key: value`: a mapping whose keys stand where this first one does.
      const column = indent + 1 + spaces;
      this.lines[this.next] = { indent: column, offset: line.offset + 1 + spaces, content };
      const item = this.map(column, depth + 1);
      data.push(item.data);
      node.items.push(item.node);
    }
    this.expectOutdent(indent);
    return { data, node };
  }

  /** After a block ends, the next line must stand further left (or there is none). */
  private expectOutdent(indent: number): void {
    const line = this.lines[this.next];
    if (line !== undefined && line.indent >= indent) giveUp();
  }
}

function isDash(content: string): boolean {
  return content === '-' || content.startsWith('- ');
}

/** `rest` after `key:` or `-`: its plain scalar value, undefined when empty; gives up on anything else. */
function plainScalar(rest: string): string | number | boolean | undefined {
  if (rest !== '' && !rest.startsWith(' ')) return giveUp();
  let value = rest.trimStart();
  if (value === '' || value.startsWith('#')) return undefined;
  const comment = value.indexOf(' #');
  if (comment !== -1) value = value.slice(0, comment);
  value = value.trimEnd();
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (INTEGER.test(value)) return Number(value);
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
      if (typeof node === 'object' && 'keys' in node) {
        const i = node.keys.indexOf(String(segment));
        const value = node.values[i];
        if (value !== undefined) next = { node: value, keyAt: node.keyAt[i] };
      } else if (typeof node === 'object' && typeof segment === 'number') {
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
  return 'keys' in node ? node.keyAt[0] ?? 0 : node.at;
}
