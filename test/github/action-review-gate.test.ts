import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.ts';
import { tempDir } from '../support/cli.ts';
import { HUMAN, OTHER_BOT } from '../support/github-server.ts';
import {
  EXAMPLE_MANIFEST_TEXT,
  MERGE_SHA,
  PR_HEAD,
  closeCheckingSecrets,
  fixturePayload,
  prPayload,
  pull42,
  startWorld,
  type World,
} from '../fixtures/github/action-harness.ts';

// The review gate of the Action: only what the Action itself recorded (its own comment and its own
// commit status `astro-access/plan`) lets a merge apply; everything else is refused with a way out.
// In process, except the workflow_dispatch apply, which runs the committed bundle.

let world: World | undefined;
afterEach(async () => {
  await closeCheckingSecrets(world);
  world = undefined;
});

const roleWrites = (w: World) => w.emulator.log.filter((e) => e.method === 'POST');
const commentsOn = (w: World, n: number) => w.github.state.comments.get(n) ?? [];
const marker = (body: string | undefined) => /<!-- astro-access:plan v1 key=[0-9a-f]+ -->/.exec(body ?? '')?.[0] ?? '';

function merged(w: World, number = 42, headSha = PR_HEAD): void {
  const pr = pull42({ number, state: 'closed', merged_at: '2026-01-02T00:00:00Z', merge_commit_sha: MERGE_SHA });
  pr.head.sha = headSha;
  if (number !== 42) pr.head.repo = { full_name: 'stranger/astro-config' };
  if (!w.github.state.pulls.some((p) => p.number === number)) w.github.state.pulls.push(pr);
  w.github.state.commitPulls.set(MERGE_SHA, [pr]);
}

/** Lines of the log that the runner would read as workflow commands, other than the masks. */
function commandLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => /^\s*::/.test(l) && !l.startsWith('::add-mask::'));
}

describe('only the Action’s own words count', () => {
  it('never edits a person’s or another app’s marker comment on the pull request; it writes its own', async () => {
    world = await startWorld();
    const first = await world.run('pull_request', prPayload());
    expect(first.code, first.stdout).toBe(0);
    const key = marker(commentsOn(world, 42)[0]?.body);
    world.github.state.comments.set(42, []);
    const person = world.github.seedComment(42, `${key}\nChecksum: \`${first.outputs['checksum']}\``, HUMAN);
    const app = world.github.seedComment(42, `${key}\nChecksum: \`${first.outputs['checksum']}\``, OTHER_BOT);

    const run = await world.run('pull_request', prPayload());
    expect(run.code, run.stdout).toBe(0);
    const comments = commentsOn(world, 42);
    expect(comments).toHaveLength(3);
    expect(comments[0]).toEqual(person);
    expect(comments[1]).toEqual(app);
    expect(comments[2]?.user.login).toBe('github-actions[bot]');
    expect(world.github.writes().filter((r) => r.method === 'PATCH')).toHaveLength(0);
  });

  it('recognises its own comment when GraphQL names the bot without [bot]', async () => {
    world = await startWorld({ github: { viewerLogin: 'github-actions' } });
    await world.run('pull_request', prPayload());
    const again = await world.run('pull_request', prPayload('aaaabbbbccccddddeeeeffff0000111122223333'));
    expect(again.code, again.stdout).toBe(0);
    expect(commentsOn(world, 42)).toHaveLength(1);
    expect(commentsOn(world, 42)[0]?.body).toContain('Head: [`aaaabbb`]');
  });

  it('does not apply a merge whose checksum only a person’s comment and status show', async () => {
    world = await startWorld();
    const plan = await world.run('push', fixturePayload('push-branch'));
    const checksum = plan.outputs['checksum']!;
    const pr = await world.run('pull_request', prPayload());
    const key = marker(commentsOn(world, 42)[0]?.body);
    // Forge the record: the Action's comment and status are gone; a person's carry the right checksum.
    world.github.state.comments.set(42, []);
    world.github.state.statuses.clear();
    world.github.seedComment(42, `${key}\n**⏳ Planned** <!-- astro-access:status -->\n\nChecksum: \`${checksum}\``, HUMAN);
    world.github.seedStatus(PR_HEAD, { state: 'success', context: 'astro-access/plan', description: `Reviewed plan ${checksum}` }, HUMAN);
    expect(pr.outputs['checksum']).toBe(checksum);
    merged(world);

    const push = await world.run('push', fixturePayload('push-main'));
    expect(push.code).toBe(1);
    expect(push.stdout).toMatch(/^::error::plan-changed: astro-access recorded no reviewed plan on pull request #42/m);
    expect(push.stdout).toContain('command: apply and expected-checksum');
    expect(roleWrites(world)).toHaveLength(0);
    expect(world.github.state.comments.get(42)?.[0]?.body).not.toContain('Plan changed'); // the person's comment is untouched
  });

  it('requires its own commit status on the head even when its own comment matches', async () => {
    world = await startWorld();
    await world.run('pull_request', prPayload());
    world.github.state.statuses.clear();
    merged(world);
    const push = await world.run('push', fixturePayload('push-main'));
    expect(push.code).toBe(1);
    expect(push.stdout).toMatch(/no commit status astro-access\/plan of its own on 9f2c1e7/);
    expect(roleWrites(world)).toHaveLength(0);
    expect(commentsOn(world, 42)[0]?.body).toContain('**⚠️ Plan changed since this comment**');
  });

  it('never applies a fork’s merged pull request, even with a marker comment by its author; says how to proceed', async () => {
    world = await startWorld({ github: { readOnly: true } });
    const forkHead = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
    world.github.state.pulls.push(pull42({ number: 43, head: { sha: forkHead, ref: 'patch-1', repo: { full_name: 'stranger/astro-config' } } }));
    const pr = await world.run('pull_request', prPayload(forkHead, 'pull_request-fork'), { inputs: { 'astro-api-token': '' } });
    expect(pr.code, pr.stdout).toBe(0);
    expect(world.github.state.statuses.size).toBe(0);
    const plan = await world.run('push', fixturePayload('push-branch'));
    const stranger = { login: 'stranger', id: 9999, type: 'User' as const };
    world.github.seedComment(43, `<!-- astro-access:plan v1 key=${'0'.repeat(12)} -->\nChecksum: \`${plan.outputs['checksum']}\``, stranger);
    world.github.seedStatus(forkHead, { state: 'success', context: 'astro-access/plan', description: `Reviewed plan ${plan.outputs['checksum']}` }, stranger);

    world.github.options.readOnly = false; // the push runs with a token that may write
    merged(world, 43, forkHead);
    const push = await world.run('push', fixturePayload('push-main'));
    expect(push.code).toBe(1);
    expect(push.stdout).toMatch(/^::error::plan-changed: astro-access recorded no reviewed plan on pull request #43 .*a fork's pull request cannot record one.*workflow_dispatch.*command: plan.*command: apply and expected-checksum/m);
    expect(roleWrites(world)).toHaveLength(0);
  });
});

describe('the maintainer’s path: workflow_dispatch', () => {
  const dispatch = (ref = 'refs/heads/main') => ({ ...fixturePayload('workflow_dispatch'), ref });

  it('plan shows the checksum; apply with it applies, with another refuses, without one refuses', async () => {
    world = await startWorld();
    const plan = await world.run('workflow_dispatch', dispatch(), { inputs: { command: 'plan' } });
    expect(plan.code, plan.stdout).toBe(0);
    const checksum = plan.outputs['checksum']!;
    expect(plan.summary).toContain(checksum);
    expect(roleWrites(world)).toHaveLength(0);

    const none = await world.run('workflow_dispatch', dispatch(), { inputs: { command: 'apply' } });
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/^::error::command: apply by workflow_dispatch needs expected-checksum/m);

    const wrong = `sha256:${'0'.repeat(64)}`;
    const refused = await world.run('workflow_dispatch', dispatch(), { inputs: { command: 'apply', 'expected-checksum': wrong } });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(new RegExp(`^::error::plan-changed: the plan is ${checksum}, not the expected ${wrong}`, 'm'));
    expect(roleWrites(world)).toHaveLength(0);

    const other = await world.run('workflow_dispatch', dispatch('refs/heads/feature'), { inputs: { command: 'apply', 'expected-checksum': checksum } });
    expect(other.code).toBe(1);
    expect(other.stdout).toMatch(/applies the default branch only/);
    expect(roleWrites(world)).toHaveLength(0);

    const applied = await world.run('workflow_dispatch', dispatch(), { inputs: { command: 'apply', 'expected-checksum': checksum }, bundle: true });
    expect(applied.code, applied.stdout).toBe(0);
    expect(roleWrites(world).length).toBeGreaterThan(0);
    expect(applied.summary).toContain('Apply complete');
    const after = await world.run('workflow_dispatch', dispatch(), { inputs: { command: 'plan' } });
    expect(after.outputs['has-changes']).toBe('false');
  });
});

describe('a plan that would be refused fails the check', () => {
  it('records failure for an invalid manifest and for names the organization does not have', async () => {
    world = await startWorld();
    const bad = await world.run('pull_request', prPayload(), { files: { 'astro-access.yaml': EXAMPLE_MANIFEST_TEXT.replace('token: dag-reader', 'token: dag-raeder') } });
    expect(bad.code).toBe(1);
    expect(world.github.state.statuses.get(PR_HEAD)?.at(-1)).toMatchObject({ state: 'failure', description: 'Names in the manifest do not resolve' });
    const head = 'aaaabbbbccccddddeeeeffff0000111122223333';
    const invalid = await world.run('pull_request', prPayload(head), { files: { 'astro-access.yaml': 'version: [' } });
    expect(invalid.code).toBe(1);
    expect(world.github.state.statuses.get(head)?.at(-1)).toMatchObject({ state: 'failure', description: 'The manifest is invalid' });
  });

  it('with comment: off, records and requires the commit status alone', async () => {
    world = await startWorld();
    const pr = await world.run('pull_request', prPayload(), { inputs: { comment: 'off' } });
    expect(pr.code, pr.stdout).toBe(0);
    expect(commentsOn(world, 42)).toHaveLength(0);
    expect(world.github.state.statuses.get(PR_HEAD)?.at(-1)).toMatchObject({ state: 'success', description: `Reviewed plan ${pr.outputs['checksum']}` });
    merged(world);
    const push = await world.run('push', fixturePayload('push-main'), { inputs: { comment: 'off' } });
    expect(push.code, push.stdout).toBe(0);
    expect(roleWrites(world).length).toBeGreaterThan(0);
  });

  it('fails the pull-request run and records failure, unless allow-unsafe', async () => {
    world = await startWorld();
    const run = await world.run('pull_request', prPayload(), { inputs: { 'max-removals': '1' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error::Apply would refuse this plan on merge: /m);
    expect(run.outputs['checksum']).toMatch(/^sha256:/);
    expect(commentsOn(world, 42)[0]?.body).toContain('**❌ Apply would refuse this plan**');
    expect(world.github.state.statuses.get(PR_HEAD)?.at(-1)).toMatchObject({ state: 'failure' });

    const unsafe = await world.run('pull_request', prPayload(), { inputs: { 'max-removals': '1', 'allow-unsafe': 'true' } });
    expect(unsafe.code, unsafe.stdout).toBe(0);
    expect(commentsOn(world, 42)[0]?.body).toContain('**⏳ Planned**');
    expect(world.github.state.statuses.get(PR_HEAD)?.at(-1)).toMatchObject({ state: 'success', description: `Reviewed plan ${unsafe.outputs['checksum']}` });
  });
});

const HOSTILE_WS = 'chostilews000000000000000';
const HOSTILE_DEP = 'chostiledep00000000000000';
const HOSTILE_NAMES = ['evil\n::error title=forged::pwned', '::add-mask::x', '  ::stop-commands::abc', 'old ##[error]v1'];

function hostileState(): EmulatorState {
  return {
    organization: { id: 'clx42kkcm01fo01o06agtmshg', name: 'Org' },
    workspaces: [{ id: HOSTILE_WS, name: 'WS\n::error::ws' }],
    deployments: [{ id: HOSTILE_DEP, name: '::warning::dep', workspaceId: HOSTILE_WS }],
    tokens: HOSTILE_NAMES.map((name, i) => ({
      id: `chostiletok${String(i).padStart(14, '0')}`,
      name,
      scope: 'WORKSPACE' as const,
      roles: [
        { entityType: 'WORKSPACE' as const, entityId: HOSTILE_WS, role: 'WORKSPACE_MEMBER' },
        { entityType: 'DEPLOYMENT' as const, entityId: HOSTILE_DEP, role: 'DEPLOYMENT_ADMIN' },
      ],
    })),
  };
}

describe('workflow-command injection', () => {
  it('never lets a name from the API or a manifest file name start a workflow command in the log', async () => {
    world = await startWorld({ state: hostileState() });
    const manifest = `version: 1\norganizationId: clx42kkcm01fo01o06agtmshg\nworkspaces:\n  - workspaceId: ${HOSTILE_WS}\n    deployments:\n      - deploymentId: ${HOSTILE_DEP}\n        workspaceTokens: []\n`;
    const files = { 'teams/x\n::error::file.yaml': manifest };
    const inputs = { manifest: 'teams/*.yaml', 'allow-direct-push': 'true', 'allow-unsafe': 'true' };
    const push = await world.run('push', fixturePayload('push-main'), { files, inputs });
    expect(push.code, push.stdout).toBe(0);
    expect(roleWrites(world)).toHaveLength(HOSTILE_NAMES.length);
    expect(push.stdout).toContain('evil\\x0a');
    expect(push.stdout).not.toContain('##[');
    // Our own commands only: the direct-push notice and the allow-unsafe warnings.
    for (const line of commandLines(push.stdout)) expect(line).toMatch(/^::(notice|warning)::(Applying a direct push|guard overridden)/);

    const validate = await world.run('pull_request', prPayload(), { files, inputs: { ...inputs, command: 'validate' } });
    expect(validate.code, validate.stdout).toBe(0);
    expect(validate.stdout).toContain('The manifest is valid (teams/x\\x0a::error::file.yaml).');
    expect(commandLines(validate.stdout)).toEqual([]);
  });
});

describe('symbolic links', () => {
  it('refuses a symlinked manifest, or glob match, without reading or naming its target', async () => {
    world = await startWorld();
    const outside = join(tempDir(), 'secret-target.yaml');
    writeFileSync(outside, EXAMPLE_MANIFEST_TEXT.replace('version: 1', 'version: 1 # TARGET-CONTENT'));
    const direct = await world.run('pull_request', prPayload(), { files: {}, links: { 'astro-access.yaml': outside } });
    expect(direct.code).toBe(1);
    expect(direct.stdout).toMatch(/astro-access\.yaml is a symbolic link: manifests must be regular files inside the repository; refused, and not read/);
    const body = commentsOn(world, 42)[0]?.body ?? '';
    expect(body).toContain('❌ Manifest invalid');
    for (const text of [...direct.texts, body]) {
      expect(text).not.toContain('TARGET-CONTENT');
      expect(text).not.toContain('secret-target');
    }
    expect(world.emulator.log).toHaveLength(0);

    const glob = await world.run('pull_request', prPayload(), {
      files: { 'teams/a.yaml': EXAMPLE_MANIFEST_TEXT },
      links: { 'teams/b.yaml': outside, 'linked': join(outside, '..') },
      inputs: { manifest: 'teams/*.yaml, linked/**/*.yaml' },
    });
    expect(glob.code).toBe(1);
    expect(glob.stdout).toMatch(/teams\/b\.yaml is a symbolic link/);
    expect(glob.stdout).toMatch(/linked is a symbolic link/);
    for (const text of glob.texts) expect(text).not.toContain('TARGET-CONTENT');
    expect(world.emulator.log).toHaveLength(0);
  });
});

describe('honest failure traces', () => {
  it('fails a same-repository pull request whose token may not record the plan', async () => {
    world = await startWorld({ github: { readOnly: true } });
    const run = await world.run('pull_request', prPayload());
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error::The plan comment was not written: this token may not write here \(Resource not accessible by integration\)\. Give the job pull-requests: write and statuses: write/m);
    expect(run.outputs['checksum']).toMatch(/^sha256:/);
  });

  it('a failed re-plan says so on the comment for the new head, and records an error status', async () => {
    world = await startWorld();
    const ok = await world.run('pull_request', prPayload());
    expect(ok.code, ok.stdout).toBe(0);
    const newHead = 'aaaabbbbccccddddeeeeffff0000111122223333';
    // The Astro API refuses the token now (revoked): the re-plan fails.
    const failed = await world.run('pull_request', prPayload(newHead), { inputs: { 'astro-api-token': 'revoked-token' } });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^::error::The plan failed: /m);
    const body = commentsOn(world, 42)[0]?.body ?? '';
    expect(commentsOn(world, 42)).toHaveLength(1);
    expect(body).toContain('**❌ Plan failed**');
    expect(body).toContain('Head: [`aaaabbb`]');
    expect(body).not.toContain('Checksum:');
    expect(body).not.toContain('⏳ Planned');
    expect(world.github.state.statuses.get(newHead)).toMatchObject([{ state: 'error', context: 'astro-access/plan' }]);
    expect(failed.summary).toContain('The plan failed for aaaabbb');
  });

  it('a GitHub outage on merge still leaves outputs and summary, and applies nothing', async () => {
    world = await startWorld();
    await world.run('pull_request', prPayload());
    merged(world);
    world.github.state.fault = () => 503;
    const push = await world.run('push', fixturePayload('push-main'));
    expect(push.code).toBe(1);
    expect(push.outputs['checksum']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(push.summary).toContain('### astro-access plan · 5d41402');
    expect(roleWrites(world)).toHaveLength(0);
  });

  it('a GitHub outage during the comment write still leaves outputs and summary, fails the run, and records nothing', async () => {
    world = await startWorld();
    world.github.state.fault = (method, path) => (method !== 'GET' && path.includes('/comments') ? 502 : undefined);
    const run = await world.run('pull_request', prPayload());
    expect(run.code).toBe(1);
    expect(run.outputs['checksum']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.outputs['has-changes']).toBe('true');
    expect(run.summary).toContain('### astro-access plan · pull request #42');
    expect(run.stdout).toMatch(/^::error::GitHub refused or failed to record the plan/m);
    expect(world.github.state.statuses.size).toBe(0);

    // And a merge of it is not applied: nothing was recorded.
    world.github.state.fault = undefined;
    merged(world);
    const push = await world.run('push', fixturePayload('push-main'));
    expect(push.code).toBe(1);
    expect(roleWrites(world)).toHaveLength(0);
  });
});
