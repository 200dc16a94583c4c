import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSavedPlan } from '../../src/apply/saved-plan.ts';
import { normalizeTeam, normalizeUser } from '../../src/astro/subjects.ts';
import { loadState } from '../../src/emulator/index.ts';
import { loadManifestFiles } from '../../src/manifest/load.ts';
import { makePlan } from '../../src/plan/planner.ts';
import type { Plan } from '../../src/plan/types.ts';
import { renderJson } from '../../src/render/json.ts';
import { EXAMPLE_MANIFEST, EXAMPLE_STATE } from '../support/cli.ts';

async function examplePlan(): Promise<Plan> {
  const { desired } = await loadManifestFiles([EXAMPLE_MANIFEST]);
  const s = loadState(EXAMPLE_STATE);
  const { plan } = makePlan(desired!, {
    organizationId: s.organization.id,
    workspaces: s.workspaces,
    deployments: s.deployments,
    tokens: s.tokens.map((t) => ({ ...t, roles: t.roles ?? [] })),
    roles: s.roles,
    defaultRoles: s.defaultRoles,
    // The example manifest manages a user and a team: read as the client reads them.
    users: (s.users ?? []).map(normalizeUser),
    teams: (s.teams ?? []).map(normalizeTeam),
  });
  return JSON.parse(renderJson(plan!)) as Plan;
}

describe('checkSavedPlan', () => {
  it('accepts a plan exactly as plan --out writes it', async () => {
    const plan = await examplePlan();
    expect(checkSavedPlan(plan)).toEqual({ plan, problems: [] });
  });

  it('refuses a plan whose actions were edited after planning', async () => {
    const plan = await examplePlan();
    plan.actions[0]!.after = 'DEPLOYMENT_ADMIN';
    plan.actions[0]!.subject.id = 'cw4dinf6dlhxjieb6afp31poi';
    expect(checkSavedPlan(plan).problems.join('\n')).toContain('checksum does not match');
  });

  it('refuses a plan of another shape, naming where', async () => {
    const plan = (await examplePlan()) as unknown as { actions: { subject: { scope: unknown } }[]; formatVersion: unknown };
    plan.actions[0]!.subject.scope = '\u001b[2J';
    plan.formatVersion = '2';
    const { plan: ok, problems } = checkSavedPlan(plan);
    expect(ok).toBeUndefined();
    expect(problems.join('\n')).toContain('/formatVersion');
    expect(problems.join('\n')).toContain('/actions/0/subject/scope');
  });

  it('refuses an action on a token the plan holds no fingerprint for', async () => {
    const plan = await examplePlan();
    delete plan.tokens[plan.actions[0]!.subject.id];
    expect(checkSavedPlan(plan).problems).toEqual([`no fingerprint for token ${plan.actions[0]!.subject.id}`]);
  });

  it('refuses a plan of another format version, saying to plan again', async () => {
    const plan = (await examplePlan()) as unknown as { formatVersion: number };
    plan.formatVersion = 1;
    expect(checkSavedPlan(plan).problems).toEqual([
      'it has formatVersion 1, and this astro-access reads formatVersion 2: make the plan again with this version',
    ]);
  });

  it('is not JSON of a plan at all', () => {
    expect(checkSavedPlan(JSON.parse(readFileSync(EXAMPLE_STATE, 'utf8'))).plan).toBeUndefined();
    expect(checkSavedPlan(null).plan).toBeUndefined();
  });
});
