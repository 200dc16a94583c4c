import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';

// At run time ajv skips checking our schemas against its meta-schema (it costs every start ~100-250 ms):
// this test is what keeps every committed schema valid JSON Schema 2020-12.
const addFormats = addFormatsModule.default;

describe.each(['manifest', 'plan', 'astro-api', 'emulator-state'])('schemas/%s.schema.json', (name) => {
  it('is valid JSON Schema 2020-12 and compiles in strict mode', () => {
    const schema = JSON.parse(readFileSync(`schemas/${name}.schema.json`, 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv2020({ strict: true, allErrors: true, validateSchema: true });
    addFormats(ajv);
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });
});
