import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import schema from '../../schemas/manifest.schema.json' with { type: 'json' };
import type { Diagnostic, SourceLocation } from './types.ts';
import type { PathSegment, Positions } from './locate.ts';
import { closest } from '../util/closest.ts';
import { isRecord } from '../util/is-record.ts';
import { quote } from '../util/sanitize.ts';
import { CUID_PATTERN } from '../util/cuid.ts';
import { EXPIRES_EXPECTED, EXPIRES_PATTERN, parseExpiry } from './expiry.ts';
import { EMAIL_PATTERN } from './raw.ts';

// ajv errors → one human message per problem, placed at the offending key or value.

// ajv-formats is CommonJS; its `default` is the plugin under both Node's and esbuild's interop.
const addFormats = addFormatsModule.default;

let compiled: ValidateFunction | undefined;

/** Compiles the manifest schema once (strict mode: a sloppy schema fails loudly here). */
export function manifestValidator(): ValidateFunction {
  if (compiled === undefined) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true, validateSchema: false });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

export function validateSchema(data: unknown, locator: Positions): Diagnostic[] {
  const validate = manifestValidator();
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  // An "exactly one of" (oneOf of single `required`s) gets one message; drop its branches' own errors.
  // Only for mappings: on any other value the `required` branches pass vacuously, and a type error says it all.
  // Indexed by instancePath: a file can have thousands of errors, and each is checked against the pairs.
  const pairs = new Set(errors.filter((e) => e.keyword === 'oneOf' && alternatives(e) !== undefined));
  const pairsAt = new Map<string, ErrorObject[]>();
  for (const p of pairs) pairsAt.set(p.instancePath, [...(pairsAt.get(p.instancePath) ?? []), p]);
  const isVacuous = (e: ErrorObject) => pairs.has(e) && !isRecord(e.data);
  const isBranchOfPair = (e: ErrorObject) =>
    (pairsAt.get(e.instancePath) ?? []).some((p) => p !== e && e.schemaPath.startsWith(`${p.schemaPath}/`));
  const out: Diagnostic[] = [];
  for (const e of errors) {
    if (isBranchOfPair(e) || isVacuous(e)) continue;
    const path = segments(e.instancePath);
    const { at, message } = describe(e, path, locator);
    out.push(new DeferredDiagnostic(at, message));
  }
  return out;
}

/**
 * A diagnostic whose message is worked out when first read. The loader shows a file's first 50 problems
 * only: with 50,000 unknown keys, the "did you mean" edit distances of the hidden ones cost most of the time.
 * (A class, not an object literal with a getter: thousands are made; the loader hands out plain copies.)
 */
class DeferredDiagnostic implements Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  #describe: (() => string) | undefined;
  #message = '';

  constructor(at: SourceLocation, describe: () => string) {
    this.file = at.file;
    this.line = at.line;
    this.col = at.col;
    this.#describe = describe;
  }

  get message(): string {
    if (this.#describe !== undefined) {
      this.#message = this.#describe();
      this.#describe = undefined;
    }
    return this.#message;
  }
}

function describe(e: ErrorObject, path: PathSegment[], loc: Positions): { at: SourceLocation; message: () => string } {
  const { at, message } = describeNow(e, path, loc);
  return { at, message: typeof message === 'string' ? () => message : message };
}

function describeNow(e: ErrorObject, path: PathSegment[], loc: Positions): { at: SourceLocation; message: string | (() => string) } {
  const name = subject(path);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return { at: loc.key([...path, key]), message: () => unknownKey(key, allowed) };
    }
    case 'required':
      return { at: loc.entry(path), message: `"${String(e.params.missingProperty)}" is required` };
    case 'oneOf': {
      const names = alternatives(e);
      if (names === undefined) break;
      const quoted = names.map((n) => `"${n}"`).join(' or ');
      if (Array.isArray(e.params.passingSchemas)) {
        const keys = names.map((n) => loc.key([...path, n]));
        const later = keys.reduce((a, b) => (b.line > a.line || (b.line === a.line && b.col > a.col) ? b : a));
        return { at: later, message: `use either ${quoted}, not both` };
      }
      return { at: loc.entry(path), message: `${quoted} is required` };
    }
    case 'type':
      if (path[path.length - 1] === 'expires' && e.params.type === 'string') {
        return { at: loc.value(path), message: `${name} ${expiryProblem(e.data)}` };
      }
      return { at: loc.value(path), message: `${name} must be ${typeName(String(e.params.type))} (${found(e.data, String(e.params.type))})` };
    case 'pattern':
      if (e.params.pattern === CUID_PATTERN) {
        return { at: loc.value(path), message: `${name} must be a cuid like c + 24 lowercase letters/digits` };
      }
      if (e.params.pattern === EXPIRES_PATTERN) return { at: loc.value(path), message: `${name} ${expiryProblem(e.data)}` };
      if (e.params.pattern === EMAIL_PATTERN) {
        return { at: loc.value(path), message: `${name} must be an email address like alice@example.com (found ${quote(String(e.data))})` };
      }
      break;
    case 'minLength':
      return { at: loc.value(path), message: `${name} must not be empty` };
    case 'minItems':
      return { at: loc.value(path), message: `${name} must list at least one ${itemNoun(path)}` };
    case 'const':
      return { at: loc.value(path), message: `${name} must be ${JSON.stringify(e.params.allowedValue)} (found ${typeof e.data === 'string' ? quote(e.data) : JSON.stringify(e.data)})` };
  }
  return { at: loc.value(path), message: `${name} ${e.message ?? 'is invalid'}` };
}

function unknownKey(key: string, allowed: string[]): string {
  // closest() accepts at most 3 edits, and a length difference of d needs d edits: skip hopeless candidates
  // (a 3 MB key would otherwise cost seconds of edit distance).
  const length = key.toLowerCase().length;
  const guess = closest(key, allowed.filter((a) => Math.abs(a.length - length) <= 3));
  const hint = guess !== undefined ? ` (did you mean ${quote(guess)}?)` : `; allowed keys here: ${allowed.join(', ')}`;
  return `unknown key ${quote(key)}${hint}`;
}

/** Why a value is not an `expires`; a number or boolean is read as its text (`2026` is no date either). */
function expiryProblem(data: unknown): string {
  if (typeof data === 'string' || typeof data === 'number' || typeof data === 'boolean') {
    const parsed = parseExpiry(String(data));
    if ('problem' in parsed) return parsed.problem;
  }
  return `${EXPIRES_EXPECTED} (${found(data, 'string')})`;
}

/** For a oneOf of `{required: [x]}` branches: the alternative key names. */
function alternatives(e: ErrorObject): string[] | undefined {
  if (!Array.isArray(e.schema)) return undefined;
  const names: string[] = [];
  for (const branch of e.schema as unknown[]) {
    const required = (branch as { required?: unknown } | null)?.required;
    if (!Array.isArray(required) || required.length !== 1 || typeof required[0] !== 'string') return undefined;
    names.push(required[0]);
  }
  return names;
}

/** JSON pointer → path; all-digit segments are list indexes. */
function segments(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => {
    const raw = s.includes('~') ? s.replace(/~1/g, '/').replace(/~0/g, '~') : s;
    return /^\d+$/.test(raw) ? Number(raw) : raw;
  });
}

/** How a message names the thing at `path`: `"role"`, or `entry 2 of "workspaces"`. */
function subject(path: PathSegment[]): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'the manifest';
  if (typeof last === 'string') return `"${last}"`;
  const parent = path[path.length - 2];
  return `entry ${last + 1} of ${typeof parent === 'string' ? `"${parent}"` : 'the list'}`;
}

function itemNoun(path: PathSegment[]): string {
  const last = path[path.length - 1];
  if (last === 'workspaces') return 'workspace';
  if (last === 'deployments') return 'deployment';
  return 'entry';
}

function typeName(type: string): string {
  switch (type) {
    case 'object': return 'a mapping (key: value)';
    case 'array': return 'a list';
    case 'string': return 'a string';
    case 'boolean': return 'true or false';
    case 'integer':
    case 'number': return 'a number';
    default: return type;
  }
}

function found(data: unknown, expected: string): string {
  if (data === null || data === undefined) return 'found nothing';
  if (Array.isArray(data)) return 'found a list';
  switch (typeof data) {
    case 'object': return 'found a mapping';
    case 'string':
      return expected === 'boolean' ? `found the string ${quote(data)}` : 'found a string';
    case 'number':
    case 'boolean':
      return expected === 'string' ? `found ${String(data)}: quote it, "${String(data)}"` : `found ${String(data)}`;
    default: return `found ${typeof data}`;
  }
}
