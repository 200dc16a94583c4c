import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/render/json.ts';
import { action, cuid, samplePlan, token } from './builders.ts';

/** Rebuilds every object with its keys in reverse order. */
function scrambled<T>(value: T): T {
  if (Array.isArray(value)) return value.map(scrambled) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, scrambled(v)])) as T;
  }
  return value;
}

describe('renderJson', () => {
  it('is 2-space JSON with a trailing newline that parses back to the same plan', () => {
    const plan = samplePlan();
    const out = renderJson(plan);
    expect(out.endsWith('}\n')).toBe(true);
    expect(out.split('\n')[1]).toBe('  "formatVersion": 2,');
    expect(JSON.parse(out)).toEqual(plan);
  });

  it('puts keys in the order of the type, whatever order the object was built in', () => {
    const plan = samplePlan();
    const out = renderJson(scrambled(plan));
    expect(out).toBe(renderJson(plan));
    const parsed = JSON.parse(out) as Record<string, unknown> & { actions: Record<string, unknown>[]; summary: object };
    expect(Object.keys(parsed)).toEqual([
      'formatVersion', 'organizationId', 'manifestDigest', 'checksum', 'summary', 'actions', 'unmanaged', 'ignored',
      'warnings', 'expirations', 'deployments', 'protectedSubjects', 'tokens', 'users', 'teams',
    ]);
    expect(Object.keys(parsed.summary)).toEqual(['add', 'update', 'remove', 'unchanged', 'unmanaged', 'ignored']);
    expect(Object.keys(parsed.actions[0]!)).toEqual(['action', 'deployment', 'subject', 'before', 'after', 'reason', 'source']);
    expect(Object.keys(parsed.actions[0]!['deployment'] as object)).toEqual(['id', 'name', 'workspaceId', 'workspaceName']);
    expect(Object.keys(parsed.actions[0]!['subject'] as object)).toEqual(['type', 'id', 'name', 'scope']);
  });

  it('orders the per-token fingerprints by token ID', () => {
    const plan = samplePlan();
    plan.actions = [action('add', { subject: token({ id: cuid(7) }) }), action('add', { subject: token({ id: cuid(2) }) })];
    plan.tokens = { [cuid(7)]: { fingerprint: 'sha256:7' }, [cuid(2)]: { fingerprint: 'sha256:2' } };
    const parsed = JSON.parse(renderJson(plan)) as { tokens: object };
    expect(Object.keys(parsed.tokens)).toEqual([cuid(2), cuid(7)]);
  });

  it('keeps a field the type does not know yet, after the known ones', () => {
    const plan = { ...samplePlan(), futureField: { x: 1 } };
    const parsed = JSON.parse(renderJson(plan)) as object;
    expect(Object.keys(parsed).at(-1)).toBe('futureField');
    expect(parsed).toMatchObject({ futureField: { x: 1 } });
  });

  it('keeps null roles and sources as null', () => {
    const plan = samplePlan();
    const parsed = JSON.parse(renderJson(plan)) as { actions: { before: unknown; after: unknown; source: unknown }[] };
    expect(parsed.actions[0]).toMatchObject({ before: null, source: 'astro-access.yaml:12' });
    expect(parsed.actions[2]).toMatchObject({ after: null, source: null });
  });
});
