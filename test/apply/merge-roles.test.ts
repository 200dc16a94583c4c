import { describe, expect, it } from 'vitest';
import { alreadyLive, holdsAll, mergeRoles, ownScopeProblem, verifyResult, verifyRoles } from '../../src/apply/merge-roles.ts';
import type { ApiTokenRole } from '../../src/astro/types.ts';
import { action } from '../render/builders.ts';

const WS: ApiTokenRole = { entityType: 'WORKSPACE', entityId: 'cws', role: 'WORKSPACE_MEMBER' };
const ORG: ApiTokenRole = { entityType: 'ORGANIZATION', entityId: 'corg', role: 'ORGANIZATION_MEMBER' };
const DEP: ApiTokenRole = { entityType: 'DEPLOYMENT', entityId: 'clvduhrvd000008l842ohcpvb', role: 'DEPLOYMENT_ADMIN' };
const DAG: ApiTokenRole = { entityType: 'DAG', entityId: 'etl', role: 'DAG_VIEWER', deploymentId: 'cdep' };

describe('ownScopeProblem', () => {
  it('accepts exactly one entry of the token’s own scope', () => {
    expect(ownScopeProblem('WORKSPACE', [WS, DEP])).toBeNull();
    expect(ownScopeProblem('ORGANIZATION', [ORG, DEP, DAG])).toBeNull();
  });

  it('refuses none, two, or only an entry of another scope', () => {
    expect(ownScopeProblem('WORKSPACE', [DEP])).toMatch(/0 WORKSPACE entries/);
    expect(ownScopeProblem('WORKSPACE', [WS, { ...WS, entityId: 'cws2' }, DEP])).toMatch(/2 WORKSPACE entries/);
    expect(ownScopeProblem('ORGANIZATION', [WS, DEP])).toMatch(/0 ORGANIZATION entries/);
    expect(ownScopeProblem('DEPLOYMENT', [DEP])).toMatch(/not managed/);
  });
});

describe('holdsAll', () => {
  it('is true when every sent entry is held, whatever else the server added, in any order or key order', () => {
    expect(holdsAll([DAG, { role: DEP.role, entityId: DEP.entityId, entityType: 'DEPLOYMENT' }, WS], [WS, DEP])).toBe(true);
    expect(holdsAll([WS], [WS, DEP])).toBe(false);
    expect(holdsAll([WS, { ...DAG, deploymentId: 'other' }], [WS, DAG])).toBe(false);
  });
});

describe('verifying a write', () => {
  const add = [action('add')];
  it('a sparse answer ({} or null lists) shows nothing, so it is never taken as proof', () => {
    expect(verifyResult({}, add)).toEqual(['the answer does not list the deployment roles']);
    expect(verifyResult({ deploymentRoles: null } as never, [action('remove')])).toHaveLength(1);
    expect(verifyResult({ deploymentRoles: [{ deploymentId: DEP.entityId, role: 'DEPLOYMENT_ADMIN' }] }, add)).toEqual([]);
  });

  it('a GET confirms by the token’s DEPLOYMENT entries', () => {
    expect(verifyRoles([WS, DEP], add)).toEqual([]);
    expect(verifyRoles([WS], add)).toEqual([expect.stringContaining('expected DEPLOYMENT_ADMIN, the API reports no role')]);
    expect(verifyRoles([WS, DEP], [action('remove')])).toHaveLength(1);
  });
});

describe('mergeRoles', () => {
  const OTHER: ApiTokenRole = { entityType: 'DEPLOYMENT', entityId: 'cother', role: 'DAG_VIEWER' };
  const dagOnDep: ApiTokenRole = { ...DAG, deploymentId: DEP.entityId };

  it('changes only the owned deployment entry, in place; every other entry is sent back as read', () => {
    const read = [OTHER, WS, { ...DEP, role: 'DAG_VIEWER' }, dagOnDep];
    expect(mergeRoles(read, [action('update')])).toEqual([OTHER, WS, DEP, dagOnDep]);
  });

  it('appends an added deployment and drops a removed one, keeping DAG entries on it', () => {
    expect(mergeRoles([WS, OTHER], [action('add')])).toEqual([WS, OTHER, DEP]);
    expect(mergeRoles([WS, DEP, dagOnDep], [action('remove')])).toEqual([WS, dagOnDep]);
  });

  it('a second entry for an owned deployment is dropped (one role per deployment)', () => {
    expect(mergeRoles([DEP, WS, { ...DEP, role: 'DAG_VIEWER' }], [action('add')])).toEqual([DEP, WS]);
  });

  it('does not change the list it was given', () => {
    const read = [WS, { ...DEP, role: 'DAG_VIEWER' }];
    const copy = structuredClone(read);
    mergeRoles(read, [action('update')]);
    expect(read).toEqual(copy);
  });
});

describe('alreadyLive', () => {
  it('is true only when every owned deployment holds the planned role, once', () => {
    expect(alreadyLive([WS, DEP], [action('add')])).toBe(true);
    expect(alreadyLive([WS], [action('remove')])).toBe(true);
    expect(alreadyLive([WS, { ...DEP, role: 'DAG_VIEWER' }], [action('add')])).toBe(false);
    expect(alreadyLive([WS, DEP, DEP], [action('add')])).toBe(false);
  });
});
