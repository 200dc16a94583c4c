import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject } from 'ajv';
import stateSchema from '../../schemas/emulator-state.schema.json' with { type: 'json' };
import { checkReferences, EmulatorStateError, normalizeState } from './state.ts';
import type { EmulatorState, NormalizedState } from './state.ts';

// ajv-formats is CommonJS: under NodeNext the plugin is the module's `default` property.
const addFormats = addFormatsModule.default;

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validateState = ajv.compile(stateSchema);

/** Validates (schema, then references) and normalizes a state given as an object or a JSON file path. */
export function loadState(input: EmulatorState | string): NormalizedState {
  const source = typeof input === 'string' ? input : '(object)';
  let data: unknown = input;
  if (typeof input === 'string') {
    let text: string;
    try {
      text = readFileSync(input, 'utf8');
    } catch (err) {
      throw new EmulatorStateError(source, [`cannot read the file: ${(err as Error).message}`]);
    }
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new EmulatorStateError(source, [`not valid JSON: ${(err as Error).message}`]);
    }
  }
  if (!validateState(data)) {
    throw new EmulatorStateError(source, (validateState.errors ?? []).map(describe));
  }
  const state = data as unknown as EmulatorState;
  const problems = checkReferences(state);
  if (problems.length > 0) throw new EmulatorStateError(source, problems);
  return normalizeState(state);
}

function describe(e: ErrorObject): string {
  const at = e.instancePath === '' ? '(top level)' : e.instancePath;
  if (e.keyword === 'additionalProperties') {
    return `${at}: unknown property ${String((e.params as { additionalProperty: string }).additionalProperty)}`;
  }
  if (e.keyword === 'enum') {
    return `${at}: ${e.message ?? 'invalid'} (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`;
  }
  return `${at}: ${e.message ?? 'invalid'}`;
}
