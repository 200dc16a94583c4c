import { describe, expect, it } from 'vitest';
import { chooseStep } from '../../src/github/dispatch.ts';
import { InputError } from '../../src/errors.ts';
import { readInputs } from '../../src/github/inputs.ts';

const from = (vals: Record<string, string>) => (name: string) => vals[name] ?? '';

describe('action inputs', () => {
  it('has safe defaults', () => {
    expect(readInputs(from({}))).toEqual({
      command: 'auto',
      manifests: ['astro-access.yaml'],
      astroApiToken: '',
      astroApiUrl: '',
      githubToken: '',
      comment: true,
      maxRemovals: 50,
      allowUnsafe: false,
      allowDirectPush: false,
      expectedChecksum: '',
      applyExpirations: false,
    });
  });

  it('reads on/off and true/false, and refuses anything else', () => {
    expect(readInputs(from({ comment: 'off', 'allow-unsafe': 'true' }))).toMatchObject({ comment: false, allowUnsafe: true });
    expect(() => readInputs(from({ comment: 'maybe' }))).toThrow(InputError);
    expect(() => readInputs(from({ 'max-removals': '-1' }))).toThrow(/max-removals/);
    expect(() => readInputs(from({ command: 'destroy' }))).toThrow(/command must be one of/);
    expect(readInputs(from({ 'expected-checksum': ` sha256:${'ab'.repeat(32)} ` })).expectedChecksum).toBe(`sha256:${'ab'.repeat(32)}`);
    expect(() => readInputs(from({ 'expected-checksum': 'abc' }))).toThrow(/expected-checksum must be sha256:/);
    expect(readInputs(from({ 'apply-expirations': 'true' })).applyExpirations).toBe(true);
    expect(readInputs(from({ 'apply-expirations': 'off' })).applyExpirations).toBe(false);
    expect(() => readInputs(from({ 'apply-expirations': 'sometimes' }))).toThrow(/apply-expirations must be true or false/);
  });

  it('chooses the step from the event under auto', () => {
    const pr = { kind: 'pull_request', number: 1, headSha: 'a', baseRef: 'main', headRepoFullName: 'o/r', isFork: false } as const;
    expect(chooseStep('auto', pr)).toBe('pull-request');
    expect(chooseStep('auto', { kind: 'push', sha: 'a', ref: 'refs/heads/main', isDefaultBranch: true })).toBe('merge');
    expect(chooseStep('auto', { kind: 'push', sha: 'a', ref: 'refs/heads/x', isDefaultBranch: false })).toBe('plan');
    expect(chooseStep('auto', { kind: 'schedule' })).toBe('drift');
    const dispatch = { kind: 'workflow_dispatch', ref: 'refs/heads/main', isDefaultBranch: true } as const;
    expect(chooseStep('auto', dispatch)).toBe('drift');
    expect(chooseStep('apply', dispatch)).toBe('dispatch-apply');
    expect(chooseStep('plan', dispatch)).toBe('plan');
    expect(() => chooseStep('auto', { kind: 'unsupported', name: 'release' })).toThrow(/release is not supported/);
    expect(chooseStep('validate', { kind: 'schedule' })).toBe('validate');
    expect(() => chooseStep('apply', pr)).toThrow(/push and workflow_dispatch events only/);
  });
});
