import { describe, expect, it } from 'vitest';
import { driftIssueBody } from '../../src/github/drift-issue.ts';
import {
  driftRemains,
  expirationsMarkdown,
  expiryOutcomeMarkdown,
  heldAfterExpiry,
  stillHeld,
} from '../../src/github/expiry-report.ts';
import { GITHUB_BODY_LIMIT } from '../../src/github/limit.ts';
import { isExpiryRemoval, onlyExpiryRemovals, splitExpiryRemovals } from '../../src/plan/expiry.ts';
import type { PlanAction } from '../../src/plan/types.ts';
import { action, expiration, expiryRemoval, plan } from './plan-fixture.ts';

// The drift check's words about time-boxed grants, from hand-made plans: which grants are listed, what
// keeps the drift issue open, and that every name is escaped.

const HOSTILE = '@acme/admins <img src=x onerror=alert(1)> | `rm -rf` #12 [x](https://evil.example) **bold**\nnext';

function hostile(a: PlanAction): PlanAction {
  return {
    ...a,
    subject: { ...a.subject, name: HOSTILE, id: `${a.subject.id}|<b>` },
    deployment: { ...a.deployment, name: `prod ${HOSTILE}` },
  };
}

describe('isExpiryRemoval', () => {
  it('is a removal that carries expires, and nothing else', () => {
    expect(isExpiryRemoval({ action: 'remove', expires: '2026-01-01' })).toBe(true);
    expect(isExpiryRemoval({ action: 'remove' })).toBe(false);
    expect(isExpiryRemoval({ action: 'add', expires: '2026-01-01' })).toBe(false);
    expect(isExpiryRemoval({ action: 'update', expires: '2026-01-01' })).toBe(false);
  });
});

describe('splitExpiryRemovals', () => {
  it('puts every action that is not an expiry removal among the blocking ones', () => {
    const ended = expiryRemoval('d1', 't1', 'DEPLOYMENT_ADMIN');
    const pruned = action('remove', 'd1', 't2', 'DAG_VIEWER', null);
    const added = action('add', 'd2', 't3', null, 'DAG_VIEWER');
    const changed = { ...action('update', 'd2', 't4', 'DAG_VIEWER', 'DEPLOYMENT_ADMIN'), expires: '2026-12-31' };
    const p = plan([ended, pruned, added, changed]);
    p.expirations = [expiration(ended)];
    expect(splitExpiryRemovals(p)).toEqual({ removals: [ended], blocking: [pruned, added, changed] });
    expect(onlyExpiryRemovals(p)).toBe(false);
    // A removal with expires whose grant the plan does not list as expired is not an expiry removal.
    const unlisted = plan([ended]);
    expect(splitExpiryRemovals(unlisted)).toEqual({ removals: [], blocking: [ended] });
    expect(onlyExpiryRemovals(unlisted)).toBe(false);
    const only = plan([ended]);
    only.expirations = [expiration(ended)];
    expect(splitExpiryRemovals(only)).toEqual({ removals: [ended], blocking: [] });
    expect(onlyExpiryRemovals(only)).toBe(true);
  });
});

describe('heldAfterExpiry and driftRemains', () => {
  const ended = expiryRemoval('d1', 't1', 'DEPLOYMENT_ADMIN');

  it('a clean plan with grants that only end soon is no drift', () => {
    const p = plan([]);
    p.expirations = [expiration(action('add', 'd1', 't1', null, 'X'), { expired: false, endsAt: '2026-06-20T00:00:00.000Z' })];
    expect(heldAfterExpiry(p)).toEqual([]);
    expect(driftRemains(p, { kind: 'off' })).toBe(false);
  });

  it('an ended grant still held is drift, whether the plan removes it or prune is off', () => {
    const removing = plan([ended]);
    removing.expirations = [expiration(ended)];
    expect(heldAfterExpiry(removing)).toEqual(removing.expirations);
    expect(driftRemains(removing, { kind: 'off' })).toBe(true);

    const pruneOff = plan([]);
    pruneOff.unmanaged = [{ deployment: ended.deployment, subject: ended.subject, role: 'DEPLOYMENT_ADMIN', reason: 'expired on 2026-01-01 and prune is off for this deployment' }];
    pruneOff.expirations = [expiration(ended)];
    expect(heldAfterExpiry(pruneOff)).toHaveLength(1);
    expect(driftRemains(pruneOff, { kind: 'off' })).toBe(true);
  });

  it('an ended grant no longer held is only a stale entry, not drift', () => {
    const p = plan([]);
    p.expirations = [expiration(ended)];
    expect(heldAfterExpiry(p)).toEqual([]);
    expect(driftRemains(p, { kind: 'off' })).toBe(false);
  });

  it('after apply-expirations removed everything, nothing remains; blocked or refused, everything does', () => {
    const p = plan([ended]);
    p.expirations = [expiration(ended)];
    expect(driftRemains(p, { kind: 'applied', removed: [ended] })).toBe(false);
    expect(stillHeld(p, { kind: 'applied', removed: [ended] })).toEqual([]);
    expect(stillHeld(p, { kind: 'blocked', blocking: [] })).toEqual(p.expirations);
    expect(driftRemains(p, { kind: 'refused', violations: ['x'] })).toBe(true);
    expect(driftRemains(p, { kind: 'partial', removals: [ended] })).toBe(true);
  });
});

describe('expirationsMarkdown', () => {
  it('lists ended grants first, then those ending soon, one escaped row each', () => {
    const ended = hostile(expiryRemoval('d1', 't1', 'DEPLOYMENT_ADMIN'));
    const soon = hostile(action('add', 'd2', 't2', null, 'DAG_VIEWER'));
    const p = plan([ended]);
    p.expirations = [
      expiration(soon, { expired: false, role: `DAG_VIEWER ${HOSTILE}`, expires: '2026-06-20T12:00:00+02:00', endsAt: '2026-06-20T10:00:00.000Z', source: `a|b.yaml:3` }),
      expiration(ended, { expires: `2026-01-01 ${HOSTILE}` }),
    ];
    const md = expirationsMarkdown(p, { kind: 'off' }, { maxChars: 60_000 });
    expect(md).toMatch(/^#### Expiring grants: 1 ended, 1 ending within 7 days/);
    expect(md).toContain('> 1 grant the manifest ended is still held on a deployment.');
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Status'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^\| \*\*expired, still held\*\* \|/);
    expect(rows[1]).toMatch(/^\| ends within 7 days \|/);
    // Nine cells a row: no pipe from a name splits one, no newline ends one.
    for (const r of rows) expect(r.split(' | ')).toHaveLength(9);
    expect(md).not.toMatch(/<img|<b>|\[x\]\(|`rm|\*\*bold\*\*|@acme\/|#12\b/);
    expect(md).toContain('@&#8203;acme/admins');
    expect(md).toContain('2026-06-20T10:00:00.000Z');
  });

  it('says the grants this run removed were removed', () => {
    const ended = expiryRemoval('d1', 't1', 'DEPLOYMENT_ADMIN');
    const p = plan([ended]);
    p.expirations = [expiration(ended)];
    const md = expirationsMarkdown(p, { kind: 'applied', removed: [ended] }, { maxChars: 60_000 });
    expect(md).toContain('**expired: removed by this run**');
    expect(md).not.toContain('still held on a deployment');
  });

  it('is empty when the plan lists no expirations', () => {
    expect(expirationsMarkdown(plan([]), { kind: 'off' }, { maxChars: 60_000 })).toBe('');
  });
});

describe('expiryOutcomeMarkdown', () => {
  it('names the actions that block apply-expirations, escaped', () => {
    const md = expiryOutcomeMarkdown({ kind: 'blocked', blocking: [hostile(action('add', 'd2', 't3', null, 'DAG_VIEWER'))] }, { maxChars: 60_000 });
    expect(md).toMatch(/^#### apply-expirations: nothing applied/);
    expect(md).toMatch(/this plan also has 1 other action, so nothing was applied/i);
    expect(md).toMatch(/^- add workspace @&#8203;acme\/admins/m);
    expect(md).not.toMatch(/<img|@acme\//);
  });

  it('lists the guard violations of a refusal and what was removed by an apply', () => {
    expect(expiryOutcomeMarkdown({ kind: 'refused', violations: ['3 bindings would be removed in total, more than the limit of 0 <b>'] }, { maxChars: 60_000 })).toMatch(
      /refused by the safety guards[\s\S]*allow-unsafe does not extend[\s\S]*- 3 bindings would be removed in total, more than the limit of 0 &#60;b&#62;/,
    );
    const removed = expiryOutcomeMarkdown({ kind: 'applied', removed: [expiryRemoval('d1', 't1', 'DEPLOYMENT_ADMIN')] }, { maxChars: 60_000 });
    expect(removed).toMatch(/^#### apply-expirations: removed 1 expired grant\n\n- remove workspace tok-t1 <code>t1<\/code> on dep-d1 <code>d1<\/code>: DEPLOYMENT&#95;ADMIN → \(none\) \(expired on 2026-01-01\)/);
    expect(expiryOutcomeMarkdown({ kind: 'off' }, { maxChars: 60_000 })).toBe('');
  });
});

describe('driftIssueBody with expirations', () => {
  it('puts the expirations before the plan, escaped, and stays under the limit with thousands of them', () => {
    const ended = hostile(expiryRemoval('d1', 't1', 'DEPLOYMENT_ADMIN'));
    const p = plan([ended]);
    p.expirations = Array.from({ length: 3000 }, (_, i) => expiration(ended, { source: `astro-access.yaml:${i + 1}` }));
    const body = driftIssueBody(p, { branch: 'main', outcome: { kind: 'blocked', blocking: [hostile(action('add', 'd2', 't3', null, 'X'))] } });
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    const blocked = body.indexOf('#### apply-expirations: nothing applied');
    const table = body.indexOf('#### Expiring grants: 3000 ended');
    const planAt = body.indexOf('**Plan:**');
    expect(blocked).toBeGreaterThan(0);
    expect(table).toBeGreaterThan(blocked);
    expect(planAt).toBeGreaterThan(table);
    expect(body).toMatch(/more lines of expiring grants not shown/);
    // One list of expirations: the plan renderer's own table is left out of the issue.
    expect(body).not.toContain('<summary>Expirations (');
    // Markdown outside code: escaped (the plan's diff below prints names raw inside its code fence).
    expect(body.slice(0, planAt)).not.toMatch(/<img|@acme\/|`rm/);
  });

  it('is unchanged for an unchanged plan and outcome, so the issue is not edited', () => {
    const ended = expiryRemoval('d1', 't1', 'DEPLOYMENT_ADMIN');
    const p = plan([ended]);
    p.expirations = [expiration(ended)];
    expect(driftIssueBody(p, { outcome: { kind: 'off' } })).toBe(driftIssueBody(structuredClone(p), { outcome: { kind: 'off' } }));
  });
});
