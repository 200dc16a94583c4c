import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_MANIFEST, exampleEmulator, tempDir } from '../support/cli.ts';
import { Capture, runMain } from '../support/in-process.ts';
import { progress, type ProgressEvent } from '../../src/commands/progress.ts';

// Issue 14 point 7: apply's progress: one updating line with count and ETA on a terminal, plain lines piped.

const CLEAR = '\r\x1b[2K';

function events(total: number): ProgressEvent[] {
  return Array.from({ length: total }, (_, i) => ({ done: i + 1, total, status: 'applied', subjectType: 'token', subjectName: `token-${i + 1}`, unit: 'tokens' }));
}

describe('progress on a terminal', () => {
  it('rewrites one line with the count and an ETA from the pace so far, then clears it', () => {
    const tty = new Capture(true);
    let clock = 0;
    const p = progress(tty, {}, () => expect.unreachable('no plain lines on a terminal'), () => clock);
    const writes: string[] = [];
    for (const e of events(4)) {
      clock += 2000;
      const before = tty.text.length;
      p.onProgress(`[${e.done}/4] applied token ${e.subjectName}`, e);
      writes.push(tty.text.slice(before));
    }
    p.finish();
    expect(writes).toEqual([
      `${CLEAR}Applying 1/4 tokens · ETA 6 s · applied token token-1`,
      `${CLEAR}Applying 2/4 tokens · ETA 4 s · applied token token-2`,
      `${CLEAR}Applying 3/4 tokens · ETA 2 s · applied token token-3`,
      `${CLEAR}Applying 4/4 tokens · applied token token-4`,
    ]);
    expect(tty.text.endsWith(CLEAR)).toBe(true);
    expect(tty.text).not.toContain('\n');
  });

  it('escapes control characters in a token name and fits the terminal width', () => {
    const tty = new Capture(true);
    tty.columns = 70;
    const p = progress(tty, {}, undefined, () => 0);
    p.onProgress('', { done: 1, total: 2, status: 'applied', subjectType: 'user', unit: 'subjects', subjectName: `evil\x1b[2J\r${'x'.repeat(80)}` });
    const line = tty.text.slice(CLEAR.length);
    expect(line).not.toMatch(/[\x00-\x1f]/);
    expect(line.startsWith('Applying 1/2 subjects · ETA 0 s · applied user evil')).toBe(true);
    expect(line).toContain('evil\\x1b[2J\\x0d');
    expect(line.length).toBeLessThanOrEqual(69);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('progress elsewhere', () => {
  it('passes each plain line through when piped, and writes nothing itself', () => {
    const piped = new Capture(false);
    const lines: string[] = [];
    const p = progress(piped, {}, (l) => lines.push(l));
    for (const e of events(3)) p.onProgress(`[${e.done}/3] applied token ${e.subjectName}`, e);
    p.finish();
    expect(lines).toEqual(['[1/3] applied token token-1', '[2/3] applied token token-2', '[3/3] applied token token-3']);
    expect(piped.text).toBe('');
  });

  it('TERM=dumb gets plain lines too', () => {
    const tty = new Capture(true);
    const lines: string[] = [];
    const p = progress(tty, { TERM: 'dumb' }, (l) => lines.push(l));
    p.onProgress('[1/1] applied a', { done: 1, total: 1, status: 'applied', subjectType: 'team', subjectName: 'a', unit: 'teams' });
    expect(lines).toEqual(['[1/1] applied a']);
    expect(tty.text).toBe('');
  });
});

describe('apply on a terminal', () => {
  it('shows the updating line on stderr and lists each token once, in the receipt', async () => {
    const { emulator, env } = await exampleEmulator();
    try {
      const r = await runMain(['apply', '-f', EXAMPLE_MANIFEST, '--auto-approve'], { env, tty: true });
      expect(r.code).toBe(0);
      const updates = r.stderr.split(CLEAR).filter((s) => s.startsWith('Applying '));
      const total = Number(/\/(\d+) subjects/.exec(updates[0] ?? '')?.[1]); // the example mixes tokens and a team
      expect(total).toBeGreaterThan(1);
      expect(updates.map((u) => /^Applying (\d+)\//.exec(u)?.[1])).toEqual(Array.from({ length: total }, (_, i) => String(i + 1)));
      expect(r.stderr).toMatch(/\r\x1b\[2K$|\r\x1b\[2K[^\r]*\n[^\r]*$/);
      // Each token once: in the receipt on stdout, not also as a progress line.
      expect(r.stderr).not.toMatch(/\[\d+\/\d+\]/);
      expect(r.stdout.match(/^applied /gm)).toHaveLength(total);
    } finally {
      await emulator.close();
    }
  });
});

describe('a long apply, piped and on a terminal', () => {
  const ORG = 'clx42kkcm01fo01o06agtmshg';
  const DATA_PLATFORM = 'clvdwt4z3000008l60ofb6347';
  const N = 12;
  const id = (i: number): string => `cbulk${String(i).padStart(20, '0')}`;

  /** The example organization plus N workspace tokens without deployment roles, and a manifest binding each on prod. */
  async function longApply(): Promise<{ env: NodeJS.ProcessEnv; manifest: string; close(): Promise<void> }> {
    const { emulator, env } = await exampleEmulator();
    emulator.mutate((s) => {
      for (let i = 1; i <= N; i++) {
        s.tokens.push({
          id: id(i),
          name: `bulk-${i}`,
          scope: 'WORKSPACE',
          description: '',
          roles: [{ entityType: 'WORKSPACE', entityId: DATA_PLATFORM, role: 'WORKSPACE_MEMBER' }],
        } as (typeof s.tokens)[number]);
      }
    });
    const manifest = join(tempDir(), 'bulk.yaml');
    const bindings = Array.from({ length: N }, (_, i) => `          - token: bulk-${i + 1}\n            role: DEPLOYMENT_ADMIN`);
    writeFileSync(
      manifest,
      `version: 1\norganizationId: ${ORG}\nworkspaces:\n  - workspace: Data Platform\n    deployments:\n      - deployment: prod\n        prune: false\n        workspaceTokens:\n${bindings.join('\n')}\n`,
    );
    return { env, manifest, close: () => emulator.close() };
  }

  it('piped: one plain line per token on stderr as it finishes, and the receipt on stdout', async () => {
    const run = await longApply();
    try {
      const r = await runMain(['apply', '-f', run.manifest, '--auto-approve'], { env: run.env });
      expect(r.code).toBe(0);
      const lines = r.stderr.split('\n').filter((l) => /^\[\d+\/\d+\] /.test(l));
      expect(lines).toHaveLength(N);
      expect(lines.map((l) => /^\[(\d+)\/12\] applied token bulk-\d+ \(cbulk\d+\)$/.exec(l)?.[1])).toEqual(
        Array.from({ length: N }, (_, i) => String(i + 1)),
      );
      expect(r.stderr).not.toContain('\r');
      expect(r.stdout.match(/^applied +token bulk-/gm)).toHaveLength(N);
    } finally {
      await run.close();
    }
  });

  it('on a terminal: the updating line only, no per-token lines on stderr', async () => {
    const run = await longApply();
    try {
      const r = await runMain(['apply', '-f', run.manifest, '--auto-approve'], { env: run.env, tty: true });
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/\[\d+\/\d+\]/);
      expect(r.stderr).toContain(`${CLEAR}Applying ${N}/${N} tokens`);
      expect(r.stdout.match(/^applied +token bulk-/gm)).toHaveLength(N);
    } finally {
      await run.close();
    }
  });
});
