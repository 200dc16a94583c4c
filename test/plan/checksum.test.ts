import { describe, expect, it } from 'vitest';
import { planChecksum } from '../../src/plan/checksum.ts';
import type { PlanAction } from '../../src/plan/types.ts';

const action = (over: Partial<PlanAction> = {}): PlanAction => ({
  action: 'update',
  deployment: { id: 'cdep', name: 'prod', workspaceId: 'cws', workspaceName: 'Data' },
  token: { id: 'ctok', name: 'ci', scope: 'WORKSPACE' },
  before: 'DAG_VIEWER',
  after: 'DEPLOYMENT_ADMIN',
  reason: 'role differs',
  source: 'a.yaml:3',
  ...over,
});

describe('planChecksum', () => {
  it('is a sha256 value', () => {
    expect(planChecksum([action()])).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('is equal for equal actions whatever their names, reasons, sources and order', () => {
    const other = action({ action: 'add', token: { id: 'ctok2', name: 'x', scope: 'ORGANIZATION' }, before: null });
    const a = planChecksum([action(), other]);
    const b = planChecksum([
      other,
      action({
        reason: 'something else', source: 'b.yaml:9',
        deployment: { id: 'cdep', name: 'renamed', workspaceId: 'cws', workspaceName: 'New' },
        token: { id: 'ctok', name: 'renamed', scope: 'WORKSPACE' },
      }),
    ]);
    expect(b).toBe(a);
  });

  it('differs when any of kind, deployment, token, before or after differs', () => {
    const base = planChecksum([action()]);
    const variants: Partial<PlanAction>[] = [
      { action: 'add' },
      { deployment: { id: 'cdep2', name: 'prod', workspaceId: 'cws', workspaceName: 'Data' } },
      { token: { id: 'ctok2', name: 'ci', scope: 'WORKSPACE' } },
      { before: 'OTHER' },
      { after: 'OTHER' },
    ];
    const sums = variants.map((v) => planChecksum([action(v)]));
    for (const s of sums) expect(s).not.toBe(base);
    expect(new Set(sums).size).toBe(sums.length);
    expect(planChecksum([])).not.toBe(base);
  });
});
