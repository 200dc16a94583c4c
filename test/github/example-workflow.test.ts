import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePatterns } from '../../src/github/manifest-glob.ts';
import { isRecord } from '../../src/util/is-record.ts';
import { ROOT } from '../support/cli.ts';

// The example workflow users copy: safe by default.

const TEXT = readFileSync(join(ROOT, 'examples/workflow.yml'), 'utf8');
const WF = parse(TEXT) as Record<string, unknown>;
const ACTION = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> };
const OWN = 'acme/astro-access@';

interface Step {
  uses?: string;
  with?: Record<string, string>;
}
interface Job {
  permissions?: unknown;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  steps: Step[];
  if?: string;
}
const jobs = WF['jobs'] as Record<string, Job>;
const steps = Object.values(jobs).flatMap((j) => j.steps);
const on = WF['on'] as Record<string, Record<string, unknown> | null>;

describe('examples/workflow.yml', () => {
  it('pins every third-party action to a full commit SHA, with its version in a comment', () => {
    const uses = TEXT.split('\n').filter((l) => /^\s*(- )?uses:/.test(l) && !l.includes(OWN));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*\s*$/);
  });

  it('checks out without persisting credentials', () => {
    const checkouts = steps.filter((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkouts.length).toBe(Object.keys(jobs).length);
    for (const s of checkouts) expect(s.with?.['persist-credentials']).toBe(false);
  });

  it('grants no permission at the top and only what each job needs', () => {
    expect(WF['permissions']).toEqual({});
    const writes = (j: Job) => Object.entries(j.permissions as Record<string, string>).filter(([, v]) => v === 'write').map(([k]) => k).sort();
    expect(writes(jobs['plan']!)).toEqual(['pull-requests', 'statuses']);
    expect(writes(jobs['apply']!)).toEqual(['pull-requests']);
    expect(writes(jobs['drift']!)).toEqual(['issues']);
  });

  it('runs applies one at a time and never cancels one', () => {
    expect(jobs['apply']?.concurrency).toEqual({ group: 'astro-access-apply', 'cancel-in-progress': false });
  });

  it('filters pull requests and pushes by the files the manifest input names', () => {
    const manifests = new Set(steps.filter((s) => s.uses?.startsWith(OWN)).map((s) => s.with?.['manifest'] ?? 'astro-access.yaml'));
    expect(manifests.size).toBe(1);
    const patterns = parsePatterns([...manifests][0]!);
    expect(on['pull_request']?.['paths']).toEqual(patterns);
    expect(on['push']?.['paths']).toEqual(patterns);
  });

  it('offers the maintainer’s dispatch: command plan / apply and expected-checksum', () => {
    const inputs = on['workflow_dispatch']?.['inputs'];
    expect(isRecord(inputs)).toBe(true);
    const command = (inputs as Record<string, { options?: string[] }>)['command'];
    expect(command?.options).toEqual(expect.arrayContaining(['plan', 'apply', 'drift']));
    expect(Object.keys(inputs as object)).toContain('expected-checksum');
    const apply = jobs['apply']!.steps.find((s) => s.uses?.startsWith(OWN));
    expect(apply?.with?.['expected-checksum']).toBe('${{ inputs.expected-checksum }}');
  });

  it('passes only inputs the Action declares', () => {
    for (const s of steps.filter((x) => x.uses?.startsWith(OWN))) {
      for (const name of Object.keys(s.with ?? {})) expect(Object.keys(ACTION.inputs)).toContain(name);
    }
  });
});
