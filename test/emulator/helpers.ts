import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { request } from 'undici';
import { expect } from 'vitest';
import { startEmulator } from '../../src/emulator/index.ts';
import type { ApiErrorBody } from '../../src/astro/types.ts';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.ts';
import { ORG, smallState } from '../support/emulator-states.ts';

// Shared by the emulator tests: real HTTP calls and the API schema (the states: test/support/emulator-states.ts).

export const ROOT = resolve(import.meta.dirname, '../..');
export const EXAMPLE_STATE = resolve(ROOT, 'examples/emulator-state.json');
/** The project's own copy of the API's object schemas. */
export const API_SCHEMA_PATH = resolve(ROOT, 'schemas/astro-api.schema.json');

export const running: Emulator[] = [];
/** Starts an emulator that closeAll() stops (call it in afterEach). */
export async function start(opts: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  const e = await startEmulator({ state: smallState(), ...opts });
  running.push(e);
  return e;
}
export async function closeAll(): Promise<void> {
  await Promise.all(running.splice(0).map((e) => e.close()));
}

export interface Answer<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body, typed as the caller expects it (the schema tests check that it is). */
  json: T;
}

/** One request to the emulator; `path` is relative to the organization unless it starts with /v1. */
export async function call<T = ApiErrorBody>(
  emu: Emulator,
  method: string,
  path: string,
  opts: { body?: unknown; rawBody?: string; token?: string | null; org?: string } = {},
): Promise<Answer<T>> {
  const full = path.startsWith('/v1') ? path.slice(3) : `/organizations/${opts.org ?? ORG}${path}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.token !== null) headers['authorization'] = `Bearer ${opts.token ?? 'test-token'}`;
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const r = await request(`${emu.url}${full}`, { method: method as 'GET', headers, body });
  const text = await r.body.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.statusCode, headers: r.headers, text, json: json as T };
}

export function jwtFor(apiTokenId: string): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ apiTokenId })}.sig`;
}

const addFormats = addFormatsModule.default;
let apiAjv: Ajv2020 | undefined;
/** Asserts `data` validates against a $def of schemas/astro-api.schema.json. */
export function expectApiShape(def: string, data: unknown): void {
  if (apiAjv === undefined) {
    apiAjv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(apiAjv);
    apiAjv.addSchema(JSON.parse(readFileSync(API_SCHEMA_PATH, 'utf8')) as object);
  }
  const validate = apiAjv.getSchema(`astro-api.schema.json#/$defs/${def}`);
  if (validate === undefined) throw new Error(`no $def ${def} in the API schema`);
  const ok = validate(data);
  expect(validate.errors ?? [], `${def}: ${apiAjv.errorsText(validate.errors)}`).toEqual([]);
  expect(ok).toBe(true);
}
