import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_CHARS, labelKey, renderMarkdown } from '../../src/render/markdown.ts';
import type { TokenScope } from '../../src/astro/types.ts';
import type { ActionKind } from '../../src/plan/types.ts';
import { action, binding, cuid, deployment, plan, samplePlan, token } from './builders.ts';
import { shape } from './markdown-check.ts';

const EVIL = ['</details><img src=x onerror=alert(1)>', '@org/team', 'a|b', '```', '[link](http://x)', '**bold**', '<!-- x', '#12 _u_ ~s~'];

function nonEmpty(lines: string[]): string[] {
  return lines.filter((l) => l.trim() !== '');
}

describe('renderMarkdown', () => {
  it('starts with the heading, then the summary line', () => {
    const lines = nonEmpty(renderMarkdown(samplePlan(), { heading: '## astro-access plan' }).split('\n'));
    expect(lines[0]).toBe('## astro-access plan');
    expect(lines[1]).toBe('**Plan:** 2 to add, 1 to change, 1 to remove');
    expect(lines[2]).toBe('Not changed: 1 unmanaged, 1 ignored.');
  });

  it.each([
    [['add', 'add', 'update', 'remove'], '**Plan:** 2 to add, 1 to change, 1 to remove'],
    [['update'], '**Plan:** 0 to add, 1 to change, 0 to remove'],
    [[], '**No changes.** The live roles match the manifest.'],
  ] as const)('summarizes %j as %s', (kinds, summary) => {
    const p = plan({ actions: kinds.map((k, i) => action(k, { subject: token({ id: cuid(i) }) })) });
    expect(renderMarkdown(p).split('\n')[0]).toBe(summary);
  });

  it('calls out removals in a warning, and only when there are some', () => {
    expect(renderMarkdown(samplePlan())).toContain('\n> [!WARNING]\n> 1 binding will be removed.\n');
    const three = plan({ actions: [0, 1, 2].map((i) => action('remove', { subject: token({ id: cuid(i) }) })) });
    expect(renderMarkdown(three)).toContain('> 3 bindings will be removed.');
    expect(renderMarkdown(plan({ actions: [action('add')] }))).not.toContain('[!WARNING]');
  });

  it('has a diff block per deployment with + ! - markers, under a heading naming the deployment', () => {
    const md = renderMarkdown(samplePlan());
    const s = shape(md);
    expect(s.blocks).toHaveLength(2);
    expect(s.blocks[0]!.map((l) => l[0])).toEqual(['+', '~', '-']);
    expect(s.blocks[0]![1]).toMatch(new RegExp(`^~ dag-reader +\\(${cuid(2)}\\) workspace +DAG_VIEWER → DEPLOYMENT_ADMIN # astro-access\\.yaml:14$`));
    expect(s.blocks[0]![2]).toContain('DEPLOYMENT_ADMIN → (none)');
    expect(s.prose).toContain('#### Deployment prod (<code>clvduhrvd000008l842ohcpvb</code>) in workspace Data Platform');
    expect(md).toContain('```diff\n');
  });

  it('aligns the columns of a diff block', () => {
    const [block] = shape(renderMarkdown(samplePlan())).blocks;
    expect(new Set(block!.map((l, i) => l.indexOf(`(${cuid(i + 1)})`))).size).toBe(1);
  });

  it('folds a deployment with more than 15 actions into <details> with counts, and not a shorter one', () => {
    const many = (n: number, d = deployment()) => Array.from({ length: n }, (_, i) => action(i % 2 ? 'add' : 'remove', { deployment: d, subject: token({ id: cuid(i) }) }));
    const long = renderMarkdown(plan({ actions: many(16) }));
    expect(long).toContain('<details><summary>16 actions: 8 to add, 0 to change, 8 to remove</summary>\n\n```diff');
    const short = renderMarkdown(plan({ actions: many(15) }));
    expect(short).not.toContain('<details>');
    expect(shape(long).detailsBalanced).toBe(true);
  });

  it('puts unmanaged, ignored and warnings in their own folded sections', () => {
    const md = renderMarkdown(samplePlan());
    expect(md).toContain('<details><summary>Unmanaged bindings, kept (1)</summary>');
    expect(md).toContain('<details><summary>Ignored bindings (1)</summary>');
    expect(md).toContain('<details><summary>Warnings (1)</summary>\n\n- token "dup" matches two names\n');
    expect(md).toContain(`| prod <code>clvduhrvd000008l842ohcpvb</code> | legacy | <code>${cuid(4)}</code> | workspace | DAG&#95;VIEWER | not declared, prune is off |`);
    const s = shape(md);
    expect(s.detailsBalanced && s.fencesBalanced).toBe(true);
  });

  it('labels actions as proposed or drift, in the lines and in the summary', () => {
    const p = samplePlan();
    const labels = new Map([
      [labelKey(p.actions[0]!), 'proposed' as const],
      [labelKey(p.actions[1]!), 'drift' as const],
      [labelKey(p.actions[2]!), 'drift' as const],
    ]);
    const md = renderMarkdown(p, { labels });
    expect(md.split('\n')[0]).toBe('**Plan:** 2 to add, 1 to change, 1 to remove (1 proposed by this pull request, 2 drift)');
    expect(md).toContain('_drift_: the live roles differ from what the base branch already declares.');
    const [prod, staging] = shape(md).blocks;
    expect(prod!.map((l) => /\((proposed|drift)\)$/.exec(l)?.[1])).toEqual(['proposed', 'drift', 'drift']);
    expect(staging![0]).not.toMatch(/\((proposed|drift)\)$/);
    expect(renderMarkdown(p)).not.toMatch(/proposed|drift/);
  });

  it('escapes names, scopes, roles, reasons, warnings and sources from the API, a plan file or the manifest everywhere', () => {
    const actions = EVIL.map((name, i) =>
      action((['add', 'update', 'remove'] as ActionKind[])[i % 3]!, {
        deployment: deployment({ name, workspaceName: name }),
        subject: token({ id: cuid(i), name, scope: name as TokenScope }),
        reason: name,
        ...(i % 3 === 2 ? { before: name } : { after: name, source: `${name}:3` }),
      }),
    );
    const kept = EVIL.map((name, i) => binding({ deployment: deployment({ name }), subject: token({ id: cuid(100 + i), name, scope: name as TokenScope }), role: name, reason: name }));
    const md = renderMarkdown(plan({ actions, unmanaged: kept, ignored: kept, warnings: EVIL }), { heading: '## plan' });
    const s = shape(md);
    expect(s.fencesBalanced).toBe(true);
    expect(s.detailsBalanced).toBe(true);
    // Every action line stays inside its code block: nothing closed a fence early.
    expect(s.blocks.flat()).toHaveLength(actions.length);
    expect(s.blocks.flat().every((l) => /^[-+~] /.test(l))).toBe(true);
    const prose = s.prose.join('\n');
    // Character references are inert; look at what is left around them.
    expect(prose.replace(/&#\d+;/g, '\u0000')).not.toMatch(/<img|<\/details><|<!--|\*\*bold|\[link\]|http:\/\/|a\|b|@org|#12/);
    // The only raw HTML outside code is our own.
    const tags = prose.match(/<\/?[a-z]+[^>]*>/g) ?? [];
    expect(new Set(tags)).toEqual(new Set(['<details>', '</details>', '<summary>', '</summary>', '<code>', '</code>']));
    // Table rows keep their six cells.
    for (const row of s.prose.filter((l) => l.startsWith('| ') && !l.startsWith('| Deployment'))) {
      expect(row.split('|')).toHaveLength(8);
    }
  });

  it('neutralizes a fence inside a name by using a longer fence for that block', () => {
    const p = plan({ actions: [action('add', { subject: token({ name: 'x\n```\n@everyone ````' }) })] });
    const md = renderMarkdown(p);
    expect(md).toContain('`````diff\n');
    expect(shape(md).blocks).toEqual([[expect.stringContaining('x\\x0a```\\x0a@everyone ````')]]);
  });

  it('appends the footer last', () => {
    expect(renderMarkdown(samplePlan(), { footer: '<!-- astro-access -->' }).endsWith('\n\n<!-- astro-access -->\n')).toBe(true);
  });

  it('is deterministic', () => {
    expect(renderMarkdown(samplePlan())).toBe(renderMarkdown(structuredClone(samplePlan())));
  });

  it('keeps a 5,000-action plan under the limit, summary first, well-formed, with a truncation note', () => {
    const actions = Array.from({ length: 5000 }, (_, i) =>
      action((['add', 'update', 'remove'] as ActionKind[])[i % 3]!, {
        deployment: deployment({ id: cuid(Math.floor(i / 100), 'd'), name: `deployment-${Math.floor(i / 100)}` }),
        subject: token({ id: cuid(i), name: `token-with-a-fairly-long-name-${i}` }),
      }),
    );
    const p = plan({ actions, warnings: ['w'] });
    const md = renderMarkdown(p, { footer: '<!-- astro-access -->' });
    expect(md.length).toBeLessThanOrEqual(DEFAULT_MAX_CHARS);
    expect(md.length).toBeGreaterThan(DEFAULT_MAX_CHARS - 2000);
    expect(md.split('\n')[0]).toBe('**Plan:** 1667 to add, 1667 to change, 1666 to remove');
    const s = shape(md);
    expect(s.fencesBalanced).toBe(true);
    expect(s.detailsBalanced).toBe(true);
    expect(md).toMatch(/\n\n_… \d+ more lines not shown: the full plan is in the job summary \/ the plan file\._\n\n<!-- astro-access -->\n$/);
    const small = renderMarkdown(p, { maxChars: 4000, fullPlanHint: 'see the plan artifact' });
    expect(small.length).toBeLessThanOrEqual(4000);
    expect(small).toMatch(/more lines not shown: see the plan artifact\._\n$/);
  });

  it('never exceeds maxChars and stays well-formed, for any names and limits', () => {
    const name = fc.string({ unit: fc.constantFrom('a', '`', '\n', '<', '>', '|', '@', '*', '_', '#', ' ', 'é', '数', '&', ';'), maxLength: 12 });
    const actionArb = fc.record({ kind: fc.constantFrom<ActionKind>('add', 'update', 'remove'), name, dep: fc.integer({ min: 0, max: 4 }), reason: name });
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 60 }), fc.array(name, { maxLength: 3 }), fc.integer({ min: 200, max: 6000 }), (specs, warnings, maxChars) => {
        const actions = specs.map((a, i) => action(a.kind, { deployment: deployment({ id: cuid(a.dep, 'd'), name: a.name }), subject: token({ id: cuid(i), name: a.name }), reason: a.reason }));
        const md = renderMarkdown(plan({ actions, warnings, unmanaged: [binding({ role: warnings[0] ?? 'R' })] }), { maxChars });
        const s = shape(md);
        expect(md.length).toBeLessThanOrEqual(maxChars);
        expect(s.fencesBalanced).toBe(true);
        expect(s.detailsBalanced).toBe(true);
        expect(s.blocks.flat().every((l) => /^[-+~] /.test(l))).toBe(true);
      }),
      { numRuns: 200, seed: 20261128 },
    );
  });
});
