import { describe, expect, it } from 'vitest';
import { shouldUseColor } from '../../src/render/color.ts';
import { renderText } from '../../src/render/text.ts';
import type { TokenScope } from '../../src/astro/types.ts';
import { action, binding, cuid, deployment, plan, samplePlan, token } from './builders.ts';

const ANSI = /\x1b\[[0-9;]*m/g;

function blocks(out: string): string[][] {
  return out.split('\n\n').map((b) => b.split('\n')).filter((b) => b[0]?.startsWith('Deployment '));
}

describe('renderText', () => {
  it('starts with the organization and has one block per deployment with a header line', () => {
    const out = renderText(samplePlan(), { color: false });
    expect(out.split('\n')[0]).toBe('Plan for organization clx42kkcm01fo01o06agtmshg');
    const headers = blocks(out).map((b) => b[0]);
    expect(headers).toEqual([
      'Deployment prod (clvduhrvd000008l842ohcpvb) in workspace Data Platform',
      `Deployment staging (${cuid(9, 'd')}) in workspace Data Platform`,
    ]);
  });

  it('writes one line per action with its marker, token, id, scope, role change and source', () => {
    const [prod] = blocks(renderText(samplePlan(), { color: false }));
    const rows = prod!.slice(1).map((l) => l.trim().split(/\s{2,}|(?<=^[-+~?!]) /));
    expect(rows[0]).toEqual(['+', 'ci-deployer', cuid(1), 'workspace', 'DEPLOYMENT_ADMIN', 'astro-access.yaml:12']);
    expect(rows[1]).toEqual(['~', 'dag-reader', cuid(2), 'workspace', 'DAG_VIEWER → DEPLOYMENT_ADMIN', 'astro-access.yaml:14']);
    expect(rows[2]).toEqual(['-', 'old-org-observer', cuid(3), 'organization', 'DEPLOYMENT_ADMIN → (none)', 'not declared in the manifest (prune)']);
    expect(rows[3]).toEqual(['?', 'legacy', cuid(4), 'workspace', 'DAG_VIEWER', 'unmanaged: not declared, prune is off']);
    expect(rows[4]).toEqual(['!', 'break-glass-1', cuid(5), 'workspace', 'DEPLOYMENT_ADMIN', 'ignored: matches ignore "break-glass-*"']);
  });

  it('aligns the columns within a block: every id, scope and role starts at the same offset', () => {
    const p = plan({
      actions: [
        action('add', { subject: token({ id: cuid(1), name: 'a' }) }),
        action('update', { subject: token({ id: cuid(2), name: 'a-much-longer-token-name', scope: 'ORGANIZATION' }) }),
        action('remove', { subject: token({ id: cuid(3), name: 'mid-name' }) }),
      ],
      unmanaged: [binding({ subject: token({ id: cuid(4), name: 'kept' }) })],
    });
    const [block] = blocks(renderText(p, { color: false }));
    const lines = block!.slice(1);
    const ids = [cuid(1), cuid(2), cuid(3), cuid(4)];
    expect(new Set(lines.map((l, i) => l.indexOf(ids[i]!))).size).toBe(1);
    expect(new Set(lines.map((l) => l.search(/(workspace|organization) /))).size).toBe(1);
    expect(new Set(lines.map((l) => l.search(/(DEPLOYMENT_ADMIN|DAG_VIEWER)/))).size).toBe(1);
  });

  it('has no ANSI codes without colour, and the same text plus colour with it', () => {
    const p = samplePlan();
    const plain = renderText(p, { color: false });
    const coloured = renderText(p, { color: true });
    expect(plain).not.toMatch(/\x1b/);
    expect(coloured).toContain('\x1b[32m+\x1b[39m');
    expect(coloured).toContain('\x1b[33m~\x1b[39m');
    expect(coloured).toContain('\x1b[31m-\x1b[39m');
    expect(coloured).toContain(`\x1b[2m${cuid(1)}\x1b[22m`);
    expect(coloured.replace(ANSI, '')).toBe(plain);
  });

  it.each([
    [[], 'No changes. The live roles match the manifest.'],
    [['add'], 'Plan: 1 to add, 0 to change, 0 to remove.'],
    [['add', 'add', 'update', 'remove'], 'Plan: 2 to add, 1 to change, 1 to remove.'],
    [['remove', 'remove', 'remove'], 'Plan: 0 to add, 0 to change, 3 to remove.'],
    [['update'], 'Plan: 0 to add, 1 to change, 0 to remove.'],
  ] as const)('ends with the summary line for %j', (kinds, summary) => {
    const p = plan({ actions: kinds.map((k, i) => action(k, { subject: token({ id: cuid(i) }) })) });
    const out = renderText(p, { color: false });
    expect(out.endsWith(`\n${summary}\n`)).toBe(true);
  });

  it('adds a second line counting unmanaged and ignored bindings only when there are some', () => {
    expect(renderText(samplePlan(), { color: false }).endsWith('Plan: 2 to add, 1 to change, 1 to remove.\nNot changed: 1 unmanaged, 1 ignored.\n')).toBe(true);
    const onlyKept = plan({ unmanaged: [binding(), binding({ subject: token({ id: cuid(8) }) })] });
    expect(renderText(onlyKept, { color: false }).endsWith('No changes. The live roles match the manifest.\nNot changed: 2 unmanaged.\n')).toBe(true);
    expect(renderText(plan({ actions: [action('add')] }), { color: false })).not.toContain('Not changed');
  });

  it('prints no deployment block when there are no changes and nothing kept', () => {
    expect(renderText(plan(), { color: false })).toBe('Plan for organization clx42kkcm01fo01o06agtmshg\n\nNo changes. The live roles match the manifest.\n');
  });

  it('shows warnings before the summary', () => {
    const out = renderText(samplePlan(), { color: false });
    expect(out).toContain('\nWarning: token "dup" matches two names\n\nPlan:');
  });

  it('escapes control characters and ANSI sequences in names and scopes so they cannot forge output', () => {
    const evil = 'x\x1b[2J\x1b[31m\rPlan: 0 to add, 0 to change, 0 to remove.\n\u202eevil';
    const p = plan({
      actions: [action('add', { subject: token({ name: evil, scope: evil as TokenScope }), deployment: deployment({ name: evil, workspaceName: evil }), reason: evil })],
      warnings: [evil],
    });
    for (const color of [false, true]) {
      const out = renderText(p, { color });
      const withoutOurCodes = out.replace(/\x1b\[(?:1|2|22|31|32|33|39)m/g, '');
      expect(withoutOurCodes).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u202e]/);
      expect(out.split('\n').filter((l) => l.replace(ANSI, '').startsWith('Plan:'))).toHaveLength(1);
      expect(out).toContain('x\\x1b[2J\\x1b[31m\\x0dPlan: 0 to add, 0 to change, 0 to remove.\\x0a\\u202eevil');
    }
  });

  it('is deterministic', () => {
    expect(renderText(samplePlan(), { color: true })).toBe(renderText(structuredClone(samplePlan()), { color: true }));
  });
});

describe('shouldUseColor', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it.each([
    ['a TTY', tty, {}, true],
    ['a pipe', pipe, {}, false],
    ['a stream without isTTY', {}, {}, false],
    ['NO_COLOR on a TTY', tty, { NO_COLOR: '1' }, false],
    ['empty NO_COLOR on a TTY', tty, { NO_COLOR: '' }, true],
    ['TERM=dumb on a TTY', tty, { TERM: 'dumb' }, false],
    ['FORCE_COLOR on a pipe', pipe, { FORCE_COLOR: '1' }, true],
    ['empty FORCE_COLOR on a pipe', pipe, { FORCE_COLOR: '' }, true],
    ['FORCE_COLOR=0 on a TTY', tty, { FORCE_COLOR: '0' }, false],
    ['FORCE_COLOR=false on a TTY', tty, { FORCE_COLOR: 'false' }, false],
    ['NO_COLOR beats FORCE_COLOR', tty, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
    ['TERM=dumb beats FORCE_COLOR', tty, { TERM: 'dumb', FORCE_COLOR: '1' }, false],
  ] as const)('%s', (_name, stream, env, expected) => {
    expect(shouldUseColor(stream, env)).toBe(expected);
  });
});
