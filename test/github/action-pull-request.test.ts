import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.ts';
import { exampleState } from '../support/cli.ts';
import {
  EXAMPLE_MANIFEST_TEXT,
  PR_HEAD,
  SMALL_MANIFEST_TEXT,
  closeCheckingSecrets,
  prPayload,
  pull42,
  startWorld,
  type World,
} from '../fixtures/github/action-harness.ts';

// The Action on pull_request events, against the Astro emulator and a fake GitHub; in process, except the
// annotation and masking tests, which run the committed bundle (@actions/core writing the commands).

let world: World | undefined;
afterEach(async () => {
  await closeCheckingSecrets(world);
  world = undefined;
});

const commentsOn42 = (w: World) => w.github.state.comments.get(42) ?? [];
const writes = (w: World) => w.github.writes().map((r) => `${r.method} ${r.path}`);

/** The body outside fenced code blocks, where GitHub renders markdown and HTML. */
function outsideCode(body: string): string {
  return body.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
}

describe('action on pull_request', () => {
  it('creates one comment, updates it on a new head, and leaves an unchanged plan alone', async () => {
    world = await startWorld();
    world.github.state.contents.set('main:astro-access.yaml', SMALL_MANIFEST_TEXT);

    const first = await world.run('pull_request', prPayload());
    expect(first.code, first.stdout).toBe(0);
    expect(writes(world)).toEqual(['POST /repos/acme/astro-config/issues/42/comments', `POST /repos/acme/astro-config/statuses/${PR_HEAD}`]);
    const [comment] = commentsOn42(world);
    expect(comment?.body).toContain('<!-- astro-access:plan v1 key=');
    expect(comment?.body).toContain('⏳ Planned');
    expect(comment?.body).toContain(`Checksum: \`${first.outputs['checksum']}\``);
    expect(comment?.body).toContain(`Head: [\`9f2c1e7\`](https://github.com/acme/astro-config/commit/${PR_HEAD})`);
    expect(comment?.body).toContain('· [workflow run](https://github.com/acme/astro-config/actions/runs/777001)');
    expect(world.github.state.statuses.get(PR_HEAD)).toMatchObject([
      { context: 'astro-access/plan', state: 'success', description: `Reviewed plan ${first.outputs['checksum']}`, target_url: 'https://github.com/acme/astro-config/actions/runs/777001' },
    ]);
    // The base branch declares ci-deployer on staging already: that action is drift, the rest proposed.
    expect(comment?.body).toMatch(/ci-deployer .*DAG_VIEWER → DEPLOYMENT_ADMIN .*\(drift\)/);
    expect(comment?.body).toMatch(/dag-reader .*DAG_VIEWER .*\(proposed\)/);
    expect(comment?.body).toContain('8 proposed by this pull request, 1 drift');
    expect(first.outputs).toMatchObject({ 'has-changes': 'true', add: '4', update: '2', remove: '3' });
    const planFile = JSON.parse(readFileSync(first.outputs['plan-file']!, 'utf8')) as { checksum: string; actions: unknown[] };
    expect(planFile.checksum).toBe(first.outputs['checksum']);
    expect(planFile.actions).toHaveLength(9);
    expect(first.summary).toContain('### astro-access plan · pull request #42');
    expect(first.summary).toContain('dag-reader');

    const second = await world.run('pull_request', prPayload('aaaabbbbccccddddeeeeffff0000111122223333'));
    expect(second.code, second.stdout).toBe(0);
    expect(writes(world).slice(2)).toEqual([
      `PATCH /repos/acme/astro-config/issues/comments/${comment!.id}`,
      'POST /repos/acme/astro-config/statuses/aaaabbbbccccddddeeeeffff0000111122223333',
    ]);
    expect(commentsOn42(world)).toHaveLength(1);
    expect(commentsOn42(world)[0]?.body).toContain('Head: [`aaaabbb`]');

    const before = world.github.writes().length;
    const third = await world.run('pull_request', prPayload('aaaabbbbccccddddeeeeffff0000111122223333'));
    expect(third.code, third.stdout).toBe(0);
    expect(world.github.writes()).toHaveLength(before);
    expect(third.stdout).toContain('Plan comment unchanged');
  });

  it('labels every action proposed when the base branch has no manifest', async () => {
    world = await startWorld();
    const run = await world.run('pull_request', prPayload());
    expect(run.code, run.stdout).toBe(0);
    expect(commentsOn42(world)[0]?.body).toContain('9 proposed by this pull request, 0 drift');
  });

  it('keeps a plan of 5,000 actions under 65,536 characters, a table per deployment first, with the full plan in the job summary', async () => {
    world = await startWorld({ state: bigState() });
    const run = await world.run('pull_request', prPayload(), { files: { 'astro-access.yaml': bigManifest() } });
    expect(run.code, run.stdout).toBe(1); // 5,000 removals: the guards would refuse it on merge
    expect(run.outputs['remove']).toBe('5000');
    const body = commentsOn42(world)[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/^\*\*Plan:\*\* 0 to add, 0 to change, 5000 to remove/m);
    expect(body.indexOf('**Plan:**')).toBeLessThan(body.indexOf('#### Deployment'));
    // The shape at a glance: one row of + ~ − counts per deployment, before any detail.
    expect(body.indexOf('| Deployment | Workspace | + add | ~ change | − remove |')).toBeLessThan(body.indexOf('**Plan:**'));
    for (let d = 0; d < 50; d++) expect(body).toContain(`| d${String(d).padStart(2, '0')} <code>${depId(d)}</code> | Big | 0 | 0 | 100 |`);
    expect(body).toContain('the full plan is in the job summary of the workflow run');
    // The job summary is not capped at 65,536: every deployment is there.
    expect(run.summary.length).toBeGreaterThan(65_536);
    for (let d = 0; d < 50; d++) expect(run.summary).toContain(`Deployment d${String(d).padStart(2, '0')} `);
    // Guard refusals are shown before merge, not only at apply, and fail the check.
    expect(body).toContain('**❌ Apply would refuse this plan**');
    expect(run.stdout).toMatch(/^::error::Apply would refuse this plan on merge: /m);
    expect(world.github.state.statuses.get(PR_HEAD)?.at(-1)).toMatchObject({ state: 'failure', context: 'astro-access/plan' });
  });

  it('renders hostile token names inert', async () => {
    const state = exampleState() as EmulatorState;
    const prod = 'clvduhrvd000008l842ohcpvb';
    const ws = 'clvdwt4z3000008l60ofb6347';
    for (const [id, name] of [['chostile0000000000000000a', '</details><img src=x>'], ['chostile0000000000000000b', '@org/team']] as const) {
      state.tokens.push({
        id,
        name,
        scope: 'WORKSPACE',
        roles: [
          { entityType: 'WORKSPACE', entityId: ws, role: 'WORKSPACE_MEMBER' },
          { entityType: 'DEPLOYMENT', entityId: prod, role: 'DEPLOYMENT_ADMIN' },
        ],
      });
    }
    world = await startWorld({ state });
    const run = await world.run('pull_request', prPayload());
    expect(run.code, run.stdout).toBe(0);
    const body = commentsOn42(world)[0]!.body;
    expect(body).toContain('chostile0000000000000000a');
    expect(body).toContain('chostile0000000000000000b');
    const rendered = outsideCode(body);
    expect(rendered).not.toContain('<img');
    expect(rendered).not.toContain('@org/team');
    expect((rendered.match(/<details>/g) ?? []).length).toBe((rendered.match(/<\/details>/g) ?? []).length);
    expect(outsideCode(run.summary)).not.toContain('<img');
  });

  it('reports manifest errors as annotations and in the comment, and fails the check', async () => {
    world = await startWorld({ bundle: true });
    const bad = EXAMPLE_MANIFEST_TEXT.replace('role: DAG_VIEWER    #', 'rol: DAG_VIEWER    #');
    const run = await world.run('pull_request', prPayload(), { files: { 'astro-access.yaml': bad } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error title=astro-access,file=astro-access\.yaml,line=\d+,col=\d+::/m);
    const body = commentsOn42(world)[0]!.body;
    expect(body).toContain('❌ Manifest invalid');
    expect(body).toMatch(/astro-access\.yaml:\d+:\d+: /);
    expect(world.emulator.log).toHaveLength(0); // an invalid manifest never reaches the API
  });

  it('reports a name the organization does not have on its manifest line', async () => {
    world = await startWorld();
    const bad = EXAMPLE_MANIFEST_TEXT.replace('token: dag-reader', 'token: dag-raeder');
    const run = await world.run('pull_request', prPayload(), { files: { 'astro-access.yaml': bad } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error title=astro-access,file=astro-access\.yaml,line=16,.*dag-raeder/m);
    expect(commentsOn42(world)[0]?.body).toContain('dag-raeder');
  });

  it('validates a fork pull request without the secret: a notice, no failure, no API call', async () => {
    world = await startWorld({ github: { readOnly: true } });
    world.github.state.pulls.push(pull42({ number: 43, head: { sha: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00', ref: 'patch-1', repo: { full_name: 'stranger/astro-config' } } }));
    const run = await world.run('pull_request', prPayload('c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00', 'pull_request-fork'), {
      inputs: { 'astro-api-token': '' },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^::notice::The manifest is valid\. It was not planned .*fork/m);
    expect(run.stdout).not.toMatch(/^::error/m);
    expect(world.emulator.log).toHaveLength(0);
    expect(world.github.state.comments.get(43) ?? []).toHaveLength(0); // the read-only token could not comment: not a failure
    expect(run.stdout).toMatch(/^::notice::The plan comment was not written/m);
    expect(run.summary).toContain('fork');
  });

  it('validates only, with a notice, when the Astro secret is not set', async () => {
    world = await startWorld();
    const run = await world.run('pull_request', prPayload(), { inputs: { 'astro-api-token': '' } });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^::notice::.*no astro-api-token is set/m);
    expect(commentsOn42(world)[0]?.body).toContain('🔎 Validate only');
    expect(world.emulator.log).toHaveLength(0);
  });

  it('talks to GitHub Enterprise Server at GITHUB_API_URL', async () => {
    world = await startWorld({ github: { pathPrefix: '/api/v3' } });
    expect(world.github.url).toMatch(/\/api\/v3$/);
    const run = await world.run('pull_request', prPayload());
    expect(run.code, run.stdout).toBe(0);
    expect(commentsOn42(world)).toHaveLength(1);
    expect(world.github.requests.every((r) => r.userAgent?.startsWith('astro-access') === true)).toBe(true);
  });

  it('masks both tokens first thing', async () => {
    world = await startWorld({ bundle: true });
    const run = await world.run('pull_request', prPayload());
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`::add-mask::${world.astroToken}`);
    expect(lines[1]).toMatch(/^::add-mask::ghs_SENTINEL/);
  });
});

// 50 deployments × 100 workspace tokens, each token DEPLOYMENT_ADMIN everywhere; the manifest
// empties every deployment explicitly: 5,000 removals.
const BIG_WS = 'cbigworkspace00000000000a';
const depId = (d: number) => `cbigdep${String(d).padStart(18, '0')}`;

function bigState(): EmulatorState {
  const deployments = Array.from({ length: 50 }, (_, d) => ({ id: depId(d), name: `d${String(d).padStart(2, '0')}`, workspaceId: BIG_WS }));
  const tokens = Array.from({ length: 100 }, (_, t) => ({
    id: `cbigtok${String(t).padStart(18, '0')}`,
    name: t === 0 ? '</details><img src=x>' : t === 1 ? '@org/team' : `bot-${String(t).padStart(3, '0')}`,
    scope: 'WORKSPACE' as const,
    roles: [
      { entityType: 'WORKSPACE' as const, entityId: BIG_WS, role: 'WORKSPACE_MEMBER' },
      ...deployments.map((d) => ({ entityType: 'DEPLOYMENT' as const, entityId: d.id, role: 'DEPLOYMENT_ADMIN' })),
    ],
  }));
  return {
    organization: { id: 'clx42kkcm01fo01o06agtmshg', name: 'Big Org' },
    workspaces: [{ id: BIG_WS, name: 'Big' }],
    deployments,
    tokens,
  };
}

function bigManifest(): string {
  const deps = Array.from({ length: 50 }, (_, d) => `      - deploymentId: ${depId(d)}\n        workspaceTokens: []\n`).join('');
  return `version: 1\norganizationId: clx42kkcm01fo01o06agtmshg\nworkspaces:\n  - workspaceId: ${BIG_WS}\n    deployments:\n${deps}`;
}
