import { afterEach, describe, expect, it } from 'vitest';
import { closeCheckingSecrets, fixturePayload, startWorld, type World } from '../fixtures/github/action-harness.ts';

// The scheduled drift check and time-boxed grants, end to end: the planner's expiry (an expired entry is
// treated as not declared, its removal carries `expires`), the drift issue, and apply-expirations,
// against the emulator's example organization. Runs in process with a fixed `now`, except one run of the
// committed bundle, which plans at its own clock (an end in 2020 has passed whenever it runs).

const NOW = Date.parse('2026-06-15T12:00:00Z');
const STAGING = 'cyy9o2uhv61h2o0tp58mnoy2b';
const PROD = 'clvduhrvd000008l842ohcpvb';
const CI_DEPLOYER = 'clz9k2w1q000108mh3tq4a7vd';
const HOSTILE = '@acme/admins <img src=x onerror=alert(1)> | #12 [x](https://evil.example)';

/** ci-deployer's DAG_VIEWER on staging (live in the example state) with `expires`; optionally an add on prod. */
function manifest(expires: string, opts: { withAdd?: boolean; pruneOff?: boolean } = {}): string {
  return [
    'version: 1',
    'organizationId: clx42kkcm01fo01o06agtmshg',
    'workspaces:',
    '  - workspace: Data Platform',
    '    deployments:',
    '      - deployment: staging',
    ...(opts.pruneOff ? ['        prune: false'] : []),
    '        workspaceTokens:',
    `          - tokenId: ${CI_DEPLOYER}`,
    '            role: DAG_VIEWER',
    `            expires: ${expires}`,
    ...(opts.withAdd
      ? ['      - deployment: prod', '        prune: false', '        workspaceTokens:', '          - token: dag-reader', '            role: DAG_VIEWER']
      : []),
    '',
  ].join('\n');
}

let world: World | undefined;
afterEach(async () => {
  await closeCheckingSecrets(world);
  world = undefined;
});

const posts = (w: World) => w.emulator.log.filter((e) => e.method === 'POST');
const stagingRole = (w: World) =>
  w.emulator.state().tokens.find((t) => t.id === CI_DEPLOYER)?.roles?.find((r) => r.entityType === 'DEPLOYMENT' && r.entityId === STAGING)?.role;
/** The issue body above the plan's diff (whose code fence shows names as they are). */
const expirySection = (body: string) => body.slice(0, body.indexOf('**Plan:**'));

describe('action drift check with expiring grants', () => {
  it('lists an expired grant still held in the drift issue, names escaped, and applies nothing by default', async () => {
    world = await startWorld();
    world.emulator.mutate((s) => {
      s.tokens.find((t) => t.id === CI_DEPLOYER)!.name = HOSTILE;
    });
    const files = { 'astro-access.yaml': manifest('2026-06-01') };
    const r = await world.run('schedule', fixturePayload('schedule'), { files, now: NOW });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs['remove']).toBe('1');
    expect(posts(world)).toEqual([]);
    expect(stagingRole(world)).toBe('DAG_VIEWER');

    expect(world.github.state.issues).toHaveLength(1);
    const body = world.github.state.issues[0]!.body ?? '';
    const section = expirySection(body);
    expect(section).toContain('#### Expiring grants: 1 ended, 0 ending within 7 days');
    expect(section).toMatch(/\| \*\*expired, still held\*\* \| staging <code>cyy9o2uhv61h2o0tp58mnoy2b<\/code> \| @&#8203;acme\/admins &#60;img/);
    expect(section).toContain('| 2026-06-01 | <code>2026-06-02T00:00:00.000Z</code> |');
    expect(section).not.toMatch(/<img|@acme\/|\[x\]\(/);
    expect(section).not.toContain('apply-expirations');
    expect(r.summary).toContain('#### Expiring grants: 1 ended');
  });

  it('with apply-expirations removes the expired grant, sets the outputs, and closes the drift issue saying what it removed', async () => {
    world = await startWorld();
    const files = { 'astro-access.yaml': manifest('2026-06-01') };
    const first = await world.run('schedule', fixturePayload('schedule'), { files, now: NOW });
    expect(first.code, first.stdout).toBe(0);
    const issue = world.github.state.issues[0]!;
    expect(issue.state).toBe('open');
    world.emulator.log.length = 0;

    const applied = await world.run('schedule', fixturePayload('schedule'), { files, now: NOW, inputs: { 'apply-expirations': 'true' } });
    expect(applied.code, applied.stdout).toBe(0);
    expect(applied.outputs).toMatchObject({ 'has-changes': 'true', remove: '1', add: '0', update: '0' });
    expect(applied.outputs['checksum']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(posts(world).map((e) => e.path)).toEqual([`/v1/organizations/clx42kkcm01fo01o06agtmshg/tokens/${CI_DEPLOYER}/roles`]);
    expect(stagingRole(world)).toBeUndefined();
    expect(applied.summary).toMatch(/#### apply-expirations: removed 1 expired grant\n\n- remove workspace ci-deployer <code>clz9k2w1q000108mh3tq4a7vd<\/code> on staging/);
    expect(applied.summary).toContain('#### Apply');
    expect(applied.stdout).toMatch(/^::notice::apply-expirations: removing 1 expired grant/m);
    expect(applied.stdout).not.toMatch(/^::warning::Drift/m);
    expect(issue.state).toBe('closed');
    expect(world.github.state.comments.get(issue.number)?.at(-1)?.body).toMatch(/removed 1 expired grant[\s\S]*match the manifest again/);

    // The next check: nothing to do, the stale entry is listed as no longer held, no issue is opened.
    const after = await world.run('schedule', fixturePayload('schedule'), { files, now: NOW, inputs: { 'apply-expirations': 'true' } });
    expect(after.code, after.stdout).toBe(0);
    expect(after.outputs['has-changes']).toBe('false');
    expect(after.summary).toContain('expired, no longer held (delete the entry)');
    expect(world.github.state.issues.filter((i) => i.state === 'open')).toHaveLength(0);
  });

  it('with apply-expirations applies nothing when the plan also adds a binding: the issue and summary name the add', async () => {
    world = await startWorld();
    const files = { 'astro-access.yaml': manifest('2026-06-01', { withAdd: true }) };
    world.emulator.log.length = 0;
    const r = await world.run('schedule', fixturePayload('schedule'), { files, now: NOW, inputs: { 'apply-expirations': 'true' } });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs).toMatchObject({ 'has-changes': 'true', add: '1', remove: '1' });
    expect(posts(world)).toEqual([]);
    expect(stagingRole(world)).toBe('DAG_VIEWER');
    expect(world.emulator.state().tokens.find((t) => t.name === 'dag-reader')?.roles?.some((x) => x.entityType === 'DEPLOYMENT' && x.entityId === PROD)).toBe(false);
    expect(r.stdout).toMatch(/^::warning::apply-expirations: nothing was applied: the plan has 1 action besides 1 expiry removal/m);
    const body = world.github.state.issues[0]?.body ?? '';
    for (const text of [body, r.summary]) {
      expect(text).toMatch(/#### apply-expirations: nothing applied[\s\S]*Blocking:\n\n- add workspace dag-reader <code>[a-z0-9]+<\/code> on prod/);
    }
    expect(body).toContain('**expired, still held**');
  });

  it('keeps a drift issue open for an ended grant still held where prune is off, though the plan has no action', async () => {
    world = await startWorld();
    const files = { 'astro-access.yaml': manifest('2026-06-01', { pruneOff: true }) };
    world.emulator.log.length = 0;
    const r = await world.run('schedule', fixturePayload('schedule'), { files, now: NOW, inputs: { 'apply-expirations': 'true' } });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs['has-changes']).toBe('false');
    expect(posts(world)).toEqual([]);
    expect(r.stdout).toMatch(/^::warning::1 grant the manifest ended is still held \(prune is off there\)/m);
    expect(world.github.state.issues).toHaveLength(1);
    expect(world.github.state.issues[0]?.body).toContain('**expired, still held**');
  });

  it('opens no drift issue for a grant that only ends within 7 days; the summary lists it', async () => {
    world = await startWorld();
    const files = { 'astro-access.yaml': manifest('2026-06-18') };
    const r = await world.run('schedule', fixturePayload('schedule'), { files, now: NOW, inputs: { 'apply-expirations': 'true' } });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs['has-changes']).toBe('false');
    expect(world.github.state.issues).toHaveLength(0);
    expect(posts(world)).toEqual([]);
    expect(r.summary).toContain('#### Expiring grants: 0 ended, 1 ending within 7 days');
    expect(r.summary).toMatch(/\| ends within 7 days \| staging <code>cyy9o2uhv61h2o0tp58mnoy2b<\/code> \| ci-deployer \|[^\n]*\| 2026-06-18 \| <code>2026-06-19T00:00:00.000Z<\/code> \|/);
    expect(r.stdout).toMatch(/^::notice::1 grant in the manifest ends within 7 days/m);
  });

  it('the bundle removes a grant that ended long ago, on schedule with apply-expirations', async () => {
    world = await startWorld();
    const files = { 'astro-access.yaml': manifest('2020-01-01') };
    world.emulator.log.length = 0;
    const r = await world.run('schedule', fixturePayload('schedule'), { files, bundle: true, inputs: { 'apply-expirations': 'true' } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ 'has-changes': 'true', remove: '1' });
    expect(posts(world)).toHaveLength(1);
    expect(stagingRole(world)).toBeUndefined();
    expect(r.summary).toContain('#### apply-expirations: removed 1 expired grant');
    expect(world.github.state.issues).toHaveLength(0);
  });
});
