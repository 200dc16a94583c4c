import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/render/json.ts';
import { renderMarkdown } from '../../src/render/markdown.ts';
import { renderText } from '../../src/render/text.ts';
import type { Plan } from '../../src/plan/types.ts';
import { action, binding, cuid, deployment, expiration, plan, team, token, user } from './builders.ts';
import { shape } from './markdown-check.ts';

// Users and teams beside tokens, and grants with an end: how the rows and the Expirations section read.

const EVIL_TEAM = '</details><img src=x onerror=alert(1)> **x** @org/admins #12 a|b ```';

function mixedPlan(): Plan {
  return plan({
    actions: [
      action('add', { subject: token({ id: cuid(1), name: 'ci' }) }),
      action('add', { subject: user({ id: cuid(2), name: 'ana@example.com' }), expires: '2026-12-31', source: 'astro-access.yaml:20' }),
      action('remove', {
        subject: team({ id: cuid(3), name: 'Contractors' }), before: 'DAG_VIEWER', after: null,
        reason: 'expired on 2026-01-01', source: 'astro-access.yaml:24',
      }),
    ],
    unmanaged: [binding({ subject: user({ id: cuid(4), name: 'old@example.com' }), reason: 'expired on 2026-01-01 and prune is off for this deployment' })],
    expirations: [
      expiration({ subject: user({ id: cuid(2), name: 'ana@example.com' }), expires: '2026-12-31', endsAt: '2027-01-01T00:00:00.000Z', expired: false, source: 'astro-access.yaml:20' }),
      expiration({ subject: team({ id: cuid(3), name: 'Contractors' }), role: 'DAG_VIEWER', expires: '2026-01-01', endsAt: '2026-01-02T00:00:00.000Z', expired: true, source: 'astro-access.yaml:24' }),
    ],
  });
}

describe('text rows for users, teams and expiring grants', () => {
  it('names the subject, shows its kind, and says when a grant ends or has ended', () => {
    const out = renderText(mixedPlan(), { color: false });
    const rows = out.split('\n').filter((l) => /^ {2}[-+~?!] /.test(l)).map((l) => l.trim().split(/\s{2,}|(?<=^[-+~?!]) /));
    expect(rows).toEqual([
      ['+', 'ci', cuid(1), 'workspace', 'DEPLOYMENT_ADMIN', 'astro-access.yaml:12'],
      ['+', 'ana@example.com', cuid(2), 'user', 'DEPLOYMENT_ADMIN', 'astro-access.yaml:20, expires 2026-12-31'],
      ['-', 'Contractors', cuid(3), 'team', 'DAG_VIEWER → (none)', 'astro-access.yaml:24, expired on 2026-01-01'],
      ['?', 'old@example.com', cuid(4), 'user', 'DAG_VIEWER', 'unmanaged: expired on 2026-01-01 and prune is off for this deployment'],
    ]);
  });

  it('escapes control characters in emails and team names', () => {
    const p = plan({
      actions: [
        action('add', { subject: user({ name: 'a\u001b[2J@example.com' }) }),
        action('update', { subject: team({ name: 'T\u202eeam\r\nX' }) }),
      ],
    });
    const out = renderText(p, { color: false });
    expect(out).not.toMatch(/[\u001b\u202e\r]/);
    expect(out).toContain('a\\x1b[2J@example.com');
    expect(out).toContain('T\\u202eeam\\x0d\\x0aX');
  });
});

describe('markdown for users, teams and expiring grants', () => {
  it('shows user and team lines with their kind and expiry in the diff block', () => {
    const [block] = shape(renderMarkdown(mixedPlan())).blocks;
    expect(block).toHaveLength(3);
    expect(block![1]).toMatch(/^\+ ana@example\.com +\(\S+\) user +DEPLOYMENT_ADMIN +# astro-access\.yaml:20, expires 2026-12-31$/);
    expect(block![2]).toMatch(/^- Contractors +\(\S+\) team +DAG_VIEWER → \(none\) +# astro-access\.yaml:24, expired on 2026-01-01$/);
  });

  it('lists expirations in a folded table with their state, and leaves the section out when there are none', () => {
    const md = renderMarkdown(mixedPlan());
    expect(md).toContain('<details><summary>Expirations (1 expired, 1 within 7 days)</summary>');
    expect(md).toContain(
      `| prod <code>clvduhrvd000008l842ohcpvb</code> | ana@&#8203;example.com | <code>${cuid(2)}</code> | user | DEPLOYMENT&#95;ADMIN | 2026-12-31 | 2027-01-01T00:00:00.000Z | expires soon | astro-access.yaml:20 |`,
    );
    expect(md).toContain(`| Contractors | <code>${cuid(3)}</code> | team | DAG&#95;VIEWER | 2026-01-01 | 2026-01-02T00:00:00.000Z | expired | astro-access.yaml:24 |`);
    expect(md.indexOf('Expirations (')).toBeLessThan(md.indexOf('#### Deployment'));
    expect(renderMarkdown(plan({ actions: [action('add')] }))).not.toContain('Expirations');
  });

  it('escapes hostile team names and emails in every section', () => {
    const evilUser = 'x@evil.example</summary>`@everyone`';
    const p = plan({
      actions: [action('remove', { subject: team({ name: EVIL_TEAM }) }), action('add', { subject: user({ id: cuid(7), name: evilUser }) })],
      unmanaged: [binding({ subject: team({ id: cuid(8), name: EVIL_TEAM }) })],
      expirations: [expiration({ subject: team({ name: EVIL_TEAM }), expires: '**2026**', source: '<b>a.yaml:1</b>' }), expiration({ subject: user({ name: evilUser }) })],
      warnings: [`team ${EVIL_TEAM} is managed by the identity provider`],
    });
    const md = renderMarkdown(p);
    const s = shape(md);
    expect(s.fencesBalanced && s.detailsBalanced).toBe(true);
    expect(s.blocks.flat()).toHaveLength(2);
    const prose = s.prose.join('\n');
    expect(prose.replace(/&#\d+;/g, '\u0000')).not.toMatch(/<img|<\/details><|\*\*x|\*\*2026|@org|@everyone|#12|a\|b|<b>/);
    const tags = prose.match(/<\/?[a-z]+[^>]*>/g) ?? [];
    expect(new Set(tags)).toEqual(new Set(['<details>', '</details>', '<summary>', '</summary>', '<code>', '</code>']));
    for (const row of s.prose.filter((l) => l.startsWith('| ') && !l.startsWith('| Deployment'))) {
      // Unmanaged rows have six cells, expiration rows nine: no value added a column.
      expect([8, 11]).toContain(row.split('|').length);
    }
  });
});

describe('json for expiring grants', () => {
  it('keeps expires on actions and the expirations in the declared key order', () => {
    const json = renderJson(mixedPlan());
    const back = JSON.parse(json) as Plan;
    expect(back.actions[1]?.expires).toBe('2026-12-31');
    expect(Object.keys(back.expirations[0]!)).toEqual(['deployment', 'subject', 'role', 'expires', 'endsAt', 'expired', 'source']);
    expect(Object.keys(back.actions[1]!)).toEqual(['action', 'deployment', 'subject', 'before', 'after', 'reason', 'source', 'expires']);
    expect(back.users).toEqual({ [cuid(2)]: expect.objectContaining({ fingerprint: expect.any(String) }) });
    expect(deployment().id).toBe(back.expirations[0]?.deployment.id);
  });
});
