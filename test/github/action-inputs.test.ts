import { describe, expect, it } from 'vitest';
import { chooseStep } from '../../src/github/dispatch.ts';
import { InputError, readInputs } from '../../src/github/inputs.ts';

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
    });
  });

  it('reads on/off and true/false, and refuses anything else', () => {
    expect(readInputs(from({ comment: 'off', 'allow-unsafe': 'true' }))).toMatchObject({ comment: false, allowUnsafe: true });
    expect(() => readInputs(from({ comment: 'maybe' }))).toThrow(InputError);
    expect(() => readInputs(from({ 'max-removals': '-1' }))).toThrow(/max-removals/);
    expect(() => readInputs(from({ command: 'destroy' }))).toThrow(/command must be one of/);
  });

  it('chooses the step from the event under auto', () => {
    const pr = { kind: 'pull_request', number: 1, headSha: 'a', baseRef: 'main', headRepoFullName: 'o/r', isFork: false } as const;
    expect(chooseStep('auto', pr)).toBe('pull-request');
    expect(chooseStep('auto', { kind: 'push', sha: 'a', ref: 'refs/heads/main', isDefaultBranch: true })).toBe('merge');
    expect(chooseStep('auto', { kind: 'push', sha: 'a', ref: 'refs/heads/x', isDefaultBranch: false })).toBe('plan');
    expect(chooseStep('auto', { kind: 'schedule' })).toBe('drift');
    expect(chooseStep('auto', { kind: 'workflow_dispatch' })).toBe('drift');
    expect(() => chooseStep('auto', { kind: 'unsupported', name: 'release' })).toThrow(/release is not supported/);
    expect(chooseStep('validate', { kind: 'schedule' })).toBe('validate');
    expect(() => chooseStep('apply', pr)).toThrow(/push events only/);
  });
});
