import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { manifestValidator } from '../../src/manifest/schema-validate.ts';
import { EXPIRES_PATTERN } from '../../src/manifest/expiry.ts';
import { BINDING_KINDS, EMAIL_PATTERN, TOKEN_KINDS, tokenListKey } from '../../src/manifest/raw.ts';

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

  it('spells the patterns the code reports on, and its examples pass it', () => {
    const defs = schema.$defs as Record<string, Json>;
    expect(defs.expires?.pattern).toBe(EXPIRES_PATTERN);
    expect(defs.email?.pattern).toBe(EMAIL_PATTERN);
    const ajv = new Ajv2020({ strict: true });
    for (const name of ['expires', 'email', 'role', 'subjectPatterns']) {
      const def = defs[name] as Json;
      const examples = def.examples as unknown[];
      expect(examples.length, name).toBeGreaterThan(0);
      const validate = ajv.compile({ ...def, examples: undefined });
      for (const example of examples) expect(validate(example), `${name}: ${JSON.stringify(example)}`).toBe(true);
    }
  });

  it('has each binding kind under its list key, named by its reference keys (BINDING_KINDS)', () => {
    const defs = schema.$defs as Record<string, Json>;
    const deployment = defs.deployment?.properties as Record<string, Json>;
    for (const { listKey, nameKey, idKey } of BINDING_KINDS) {
      const list = defs[String(deployment[listKey]?.$ref).replace('#/$defs/', '')];
      const item = defs[String((list?.items as Json | undefined)?.$ref).replace('#/$defs/', '')];
      expect(Object.keys(item?.properties as Json), listKey).toEqual([nameKey, idKey, 'role', 'expires']);
    }
    expect(BINDING_KINDS.map((k) => k.kind)).toEqual(['workspace', 'organization', 'user', 'team']);
    expect(TOKEN_KINDS).toEqual(['workspace', 'organization']);
    expect(TOKEN_KINDS.map(tokenListKey)).toEqual(['workspaceTokens', 'organizationTokens']);
  });
});
