import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../support/in-process.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/manifests/good/users-and-teams.yaml');

describe('validate', () => {
  it('counts the bindings of users and teams with those of tokens', async () => {
    const r = await runMain(['validate', '-f', FIXTURE]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    // prod: 1 workspace token, 2 users, 2 teams; staging: 1 team.
    expect(r.stdout).toBe('Valid: 1 file, 2 deployments, 6 bindings.\n');
  });
});
