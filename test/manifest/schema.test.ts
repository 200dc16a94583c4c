import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { manifestValidator } from '../../src/manifest/schema-validate.ts';

const schemaFile = resolve(dirname(fileURLToPath(import.meta.url)), '../../schemas/manifest.schema.json');
const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Every object-typed subschema, with its JSON pointer. */
function objectSchemas(node: unknown, at = '#'): [string, Json][] {
  if (!isObject(node)) return Array.isArray(node) ? node.flatMap((n, i) => objectSchemas(n, `${at}/${i}`)) : [];
  const here: [string, Json][] = node.type === 'object' ? [[at, node]] : [];
  return [...here, ...Object.entries(node).flatMap(([k, v]) => objectSchemas(v, `${at}/${k}`))];
}

describe('schemas/manifest.schema.json', () => {
  it('compiles under ajv 2020 in strict mode', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    expect(() => ajv.compile(schema)).not.toThrow();
    expect(() => manifestValidator()).not.toThrow();
  });

  it('closes every object and describes every property', () => {
    const objects = objectSchemas(schema);
    expect(objects.map(([at]) => at)).toEqual(['#', '#/$defs/workspace', '#/$defs/deployment', '#/$defs/tokenBinding', '#/$defs/userBinding', '#/$defs/teamBinding']);
    for (const [at, obj] of objects) {
      expect(obj.additionalProperties, at).toBe(false);
      for (const [name, prop] of Object.entries(obj.properties as Json)) {
        expect(typeof (prop as Json).description, `${at}/properties/${name}`).toBe('string');
      }
    }
  });

  it('accepts a well-formed manifest and rejects version 2 and a bad cuid', () => {
    const validate = manifestValidator();
    const ok = {
      version: 1,
      organizationId: 'clx42kkcm01fo01o06agtmshg',
      workspaces: [{ workspace: 'W', deployments: [{ deployment: 'd', workspaceTokens: [{ token: 't', role: 'DEPLOYMENT_ADMIN' }] }] }],
    };
    expect(validate(ok)).toBe(true);
    expect(validate({ ...ok, version: 2 })).toBe(false);
    expect(validate({ ...ok, organizationId: 'clx42kkcm01fo01o06agtmsh' })).toBe(false);
  });
});
