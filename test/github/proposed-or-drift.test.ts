import { describe, expect, it } from 'vitest';
import { labelProposedOrDrift } from '../../src/github/proposed-or-drift.ts';
import { action, plan } from './plan-fixture.ts';

describe('labelProposedOrDrift', () => {
  it('labels an action the base branch would also take as drift, and a new one as proposed', () => {
    const drifted = action('remove', 'd1', 't1', 'DEPLOYMENT_ADMIN', null);
    const fresh = action('add', 'd1', 't2', null, 'DAG_VIEWER');
    const labels = labelProposedOrDrift(plan([drifted, fresh]), plan([drifted]));
    expect(labels.get('d1/token/t1')).toBe('drift');
    expect(labels.get('d1/token/t2')).toBe('proposed');
    expect(labels.size).toBe(2);
  });

  it('labels the same binding as proposed when the pull request changes the target role', () => {
    const base = action('update', 'd1', 't1', 'DAG_VIEWER', 'DEPLOYMENT_ADMIN');
    const pr = action('update', 'd1', 't1', 'DAG_VIEWER', 'DAG_EDITOR');
    expect(labelProposedOrDrift(plan([pr]), plan([base])).get('d1/token/t1')).toBe('proposed');
  });

  it('distinguishes the action kind, not only the roles', () => {
    const base = action('add', 'd1', 't1', null, 'DAG_VIEWER');
    const pr = action('update', 'd1', 't1', null, 'DAG_VIEWER');
    expect(labelProposedOrDrift(plan([pr]), plan([base])).get('d1/token/t1')).toBe('proposed');
  });

  it('labels everything proposed when there is no base plan (no manifest on the base branch)', () => {
    const labels = labelProposedOrDrift(plan([action('add', 'd1', 't1', null, 'X'), action('add', 'd2', 't1', null, 'X')]), null);
    expect([...labels.values()]).toEqual(['proposed', 'proposed']);
  });

  it('keys by deployment and token, so the same token on two deployments is labelled separately', () => {
    const a1 = action('add', 'd1', 't1', null, 'X');
    const a2 = action('add', 'd2', 't1', null, 'X');
    const labels = labelProposedOrDrift(plan([a1, a2]), plan([a2]));
    expect(labels.get('d1/token/t1')).toBe('proposed');
    expect(labels.get('d2/token/t1')).toBe('drift');
  });
});
