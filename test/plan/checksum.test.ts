import { describe, expect, it } from 'vitest';
import { canonicalJson, planChecksum } from '../../src/plan/checksum.ts';
import type { Plan } from '../../src/plan/types.ts';
import { action, plan as makePlan } from '../render/builders.ts';

const base = (): Plan => {
  const p = makePlan({ actions: [action('update'), action('remove', { subject: { type: 'token', id: 'c00000000000000000000002', name: 'bot', scope: 'WORKSPACE' } })] });
  p.deployments = [{ ...action('update').deployment, managedKinds: ['workspace'], existing: 4, desired: 3, explicitEmpty: false, source: 'a.yaml:3' }];
  p.protectedSubjects = ['c00000000000000000000002'];
  return p;
};

/** The same value with every object's keys in reverse order. */
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)]));
}

describe('planChecksum', () => {
  it('is a sha256 value, and does not depend on the checksum field or on key order', () => {
    const p = base();
    const sum = planChecksum(p);
    expect(sum).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(planChecksum({ ...p, checksum: 'sha256:' + '0'.repeat(64) })).toBe(sum);
    expect(planChecksum(reverseKeys(p) as Plan)).toBe(sum);
  });

  it('changes with any edit anywhere in the document: guard inputs, names, summary, organization', () => {
    const sum = planChecksum(base());
    const edits: ((p: Plan) => void)[] = [
      (p) => (p.protectedSubjects = []),
      (p) => (p.deployments[0]!.existing = 40),
      (p) => (p.deployments[0]!.explicitEmpty = true),
      (p) => (p.actions[0]!.subject.name = 'renamed'),
      (p) => (p.actions[0]!.deployment.workspaceName = 'Elsewhere'),
      (p) => (p.actions[0]!.reason = 'edited'),
      (p) => (p.summary.remove = 0),
      (p) => (p.organizationId = 'c00000000000000000000009'),
      (p) => (p.manifestDigest = 'b'.repeat(64)),
      (p) => p.warnings.push('x'),
      (p) => (p.tokens = {}),
      (p) => p.actions.reverse(),
    ];
    const sums = edits.map((edit) => {
      const p = base();
      edit(p);
      return planChecksum(p);
    });
    for (const s of sums) expect(s).not.toBe(sum);
    expect(new Set(sums).size).toBe(sums.length);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: [{ y: 1, x: null }], a: 'é"' })).toBe('{"a":"é\\"","b":[{"x":null,"y":1}]}');
  });
});
