import { describe, expect, it } from 'vitest';
import { loadManifestSources } from '../../src/manifest/load.ts';
import type { Desired } from '../../src/manifest/types.ts';

const ORG = 'clx42kkcm01fo01o06agtmshg';

function load(...sources: [string, string][]): Desired {
  const result = loadManifestSources(sources.map(([file, text]) => ({ file, text })));
  expect(result.errors).toEqual([]);
  if (!result.desired) throw new Error('no Desired');
  return result.desired;
}

const inheritance = `version: 1
organizationId: ${ORG}
prune: false
workspaces:
  - workspace: A
    deployments:
      - deployment: file-default
        workspaceTokens: []
  - workspace: B
    prune: true
    deployments:
      - deployment: from-workspace
        workspaceTokens: []
      - deployment: own
        prune: false
        organizationTokens: []
`;

describe('normalize', () => {
  it('takes prune from the deployment, else its workspace, else the file, else true', () => {
    const d = load(['m.yaml', inheritance]);
    expect(d.deployments.map((x) => [x.deployment.name, x.prune])).toEqual([
      ['file-default', false],
      ['from-workspace', true],
      ['own', false],
    ]);
    const noPrune = load(['n.yaml', `version: 1\norganizationId: ${ORG}\nworkspaces: [{workspace: A, deployments: [{deployment: d, workspaceTokens: []}]}]\n`]);
    expect(noPrune.deployments[0]?.prune).toBe(true);
  });

  it('keeps a file-level prune inside its own file', () => {
    const other = `version: 1\norganizationId: ${ORG}\nworkspaces:\n  - workspace: A\n    deployments:\n      - deployment: second\n        workspaceTokens: []\n`;
    const d = load(['m.yaml', inheritance], ['o.yaml', other]);
    expect(d.deployments.find((x) => x.deployment.name === 'second')?.prune).toBe(true);
  });

  it('merges one workspace across two files and records where each entry stands', () => {
    const a = `version: 1
organizationId: ${ORG}
ignore: [break-glass-*, legacy-*]
workspaces:
  - workspace: Data Platform
    deployments:
      - deployment: prod
        workspaceTokens:
          - token: ci-deployer
            role: DEPLOYMENT_ADMIN
`;
    const b = `version: 1
organizationId: ${ORG}
ignore: [legacy-*, c9oxs0ns2epwqt1s0ir2lm4cj]
protect: [ci-deployer]
workspaces:
  - workspace: Data Platform
    deployments:
      - deploymentId: clvduhrvd000008l842ohcpvb
        organizationTokens:
          - tokenId: clz9k2w1q000108mh3tq4a7vd
            role: DAG_VIEWER
`;
    const d = load(['a.yaml', a], ['b.yaml', b]);
    expect(d.files).toEqual(['a.yaml', 'b.yaml']);
    expect(d.organizationId).toBe(ORG);
    expect(d.ignore).toEqual(['break-glass-*', 'legacy-*', 'c9oxs0ns2epwqt1s0ir2lm4cj']);
    expect(d.protect).toEqual(['ci-deployer']);
    expect(d.deployments).toEqual([
      {
        workspace: { name: 'Data Platform', at: { file: 'a.yaml', line: 5, col: 16 } },
        deployment: { name: 'prod', at: { file: 'a.yaml', line: 7, col: 21 } },
        prune: true,
        at: { file: 'a.yaml', line: 7, col: 9 },
        workspaceTokens: [{
          subject: { name: 'ci-deployer', at: { file: 'a.yaml', line: 9, col: 20 } },
          role: 'DEPLOYMENT_ADMIN',
          roleAt: { file: 'a.yaml', line: 10, col: 19 },
          at: { file: 'a.yaml', line: 9, col: 13 },
        }],
      },
      {
        workspace: { name: 'Data Platform', at: { file: 'b.yaml', line: 6, col: 16 } },
        deployment: { id: 'clvduhrvd000008l842ohcpvb', at: { file: 'b.yaml', line: 8, col: 23 } },
        prune: true,
        at: { file: 'b.yaml', line: 8, col: 9 },
        organizationTokens: [{
          subject: { id: 'clz9k2w1q000108mh3tq4a7vd', at: { file: 'b.yaml', line: 10, col: 22 } },
          role: 'DAG_VIEWER',
          roleAt: { file: 'b.yaml', line: 11, col: 19 },
          at: { file: 'b.yaml', line: 10, col: 13 },
        }],
      },
    ]);
  });

  it('leaves an absent token list undefined and keeps an empty one', () => {
    const d = load(['m.yaml', inheritance]);
    expect(d.deployments[0]?.workspaceTokens).toEqual([]);
    expect(d.deployments[0]?.organizationTokens).toBeUndefined();
    expect(d.deployments[2]?.workspaceTokens).toBeUndefined();
  });

  it('reads users and teams by name or ID, with expiries as written and the instant each ends', () => {
    const m = `version: 1
organizationId: ${ORG}
workspaces:
  - workspace: W
    deployments:
      - deployment: d
        users:
          - user: Alice@Example.com
            role: DAG_VIEWER
            expires: 2026-12-31
          - {userId: cm0user000000000000000001, role: DEPLOYMENT_ADMIN}
        teams:
          - teamId: cm0team000000000000000001
            role: DAG_VIEWER
            expires: "2026-06-30T18:00:00+02:00"
          - team: Data Engineers
            role: DEPLOYMENT_ADMIN
        workspaceTokens:
          - token: t
            role: DAG_VIEWER
            expires: 2026-01-01T00:00:00Z
`;
    const dep = load(['m.yaml', m]).deployments[0];
    const at = (line: number, col: number) => ({ file: 'm.yaml', line, col });
    expect(dep?.users).toEqual([
      {
        subject: { name: 'Alice@Example.com', at: at(8, 19) }, role: 'DAG_VIEWER', roleAt: at(9, 19), at: at(8, 13),
        expires: { text: '2026-12-31', endsAt: Date.parse('2027-01-01T00:00:00Z'), at: at(10, 22) },
      },
      { subject: { id: 'cm0user000000000000000001', at: at(11, 22) }, role: 'DEPLOYMENT_ADMIN', roleAt: at(11, 55), at: at(11, 14) },
    ]);
    expect(dep?.teams).toEqual([
      {
        subject: { id: 'cm0team000000000000000001', at: at(13, 21) }, role: 'DAG_VIEWER', roleAt: at(14, 19), at: at(13, 13),
        expires: { text: '2026-06-30T18:00:00+02:00', endsAt: Date.parse('2026-06-30T16:00:00Z'), at: at(15, 22) },
      },
      { subject: { name: 'Data Engineers', at: at(16, 19) }, role: 'DEPLOYMENT_ADMIN', roleAt: at(17, 19), at: at(16, 13) },
    ]);
    expect(dep?.workspaceTokens?.[0]?.expires).toEqual({ text: '2026-01-01T00:00:00Z', endsAt: Date.parse('2026-01-01T00:00:00Z'), at: at(21, 22) });
    expect(dep?.organizationTokens).toBeUndefined();
  });

  it('keeps an unquoted date as text under %YAML 1.1 too (whose timestamps would make it a Date)', () => {
    const m = `%YAML 1.1
---
version: 1
organizationId: ${ORG}
workspaces:
  - workspace: W
    deployments:
      - deployment: d
        users:
          - user: a@example.com
            role: DAG_VIEWER
            expires: 2026-12-31
`;
    expect(load(['m.yaml', m]).deployments[0]?.users?.[0]?.expires).toEqual({
      text: '2026-12-31', endsAt: Date.parse('2027-01-01T00:00:00Z'), at: { file: 'm.yaml', line: 12, col: 22 },
    });
    const tagged = loadManifestSources([{ file: 'm.yaml', text: m.replace('expires: 2026', 'expires: !!timestamp 2026') }]);
    expect(tagged.errors).toEqual([expect.objectContaining({ line: 12, message: expect.stringContaining('without tags') as unknown })]);
  });
});

describe('digest', () => {
  const one = `version: 1
organizationId: ${ORG}
ignore: [a-*, b-*]
workspaces:
  - workspace: W
    deployments:
      - deployment: d1
        workspaceTokens:
          - token: t1
            role: DEPLOYMENT_ADMIN
          - token: t2
            role: DAG_VIEWER
`;
  const two = `version: 1
organizationId: ${ORG}
workspaces:
  - workspace: W
    deployments:
      - deploymentId: clvduhrvd000008l842ohcpvb
        organizationTokens: []
`;
  // The same content as `one`: flow style, other quoting and comments, bindings and patterns reordered.
  const oneReformatted = `# reformatted
{version: 1, organizationId: "${ORG}", ignore: ['b-*', "a-*", a-*],
 workspaces: [{workspace: "W", deployments: [{deployment: d1, workspaceTokens: [
   {role: DAG_VIEWER, token: t2},   # second binding first
   {token: t1, role: DEPLOYMENT_ADMIN}]}]}]}
`;

  it('is a SHA-256 hex string', () => {
    expect(load(['one.yaml', one]).digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on formatting, comments, file names or file order', () => {
    const base = load(['one.yaml', one], ['two.yaml', two]).digest;
    expect(load(['x/other.yaml', oneReformatted], ['two.yaml', two]).digest).toBe(base);
    expect(load(['two.yaml', two], ['one.yaml', one]).digest).toBe(base);
  });

  it('changes when the content changes', () => {
    const base = load(['one.yaml', one]).digest;
    const variants = [
      one.replace('role: DAG_VIEWER', 'role: DEPLOYMENT_ADMIN'),
      one.replace('token: t2', 'token: t3'),
      one.replace('deployment: d1', 'deployment: d2'),
      one.replace('ignore: [a-*, b-*]', 'ignore: [a-*]'),
      one.replace('ignore: [a-*, b-*]', 'ignore: [a-*, b-*]\nprotect: [a-*]'),
      one.replace('ignore: [a-*, b-*]', 'ignore: [a-*, b-*]\nprune: false'),
      one.replace('workspaceTokens:', 'organizationTokens:'),
      one.replace('organizationId: clx42kkcm01fo01o06agtmshg', 'organizationId: c000000000000000000000000'),
    ];
    const digests = variants.map((v) => load(['one.yaml', v]).digest);
    for (const d of digests) expect(d).not.toBe(base);
    expect(new Set(digests).size).toBe(variants.length);
  });

  it('is the same as before users, teams and expires for a manifest of tokens alone', () => {
    // Pinned: the digest of `one` as it was computed before any of those keys existed.
    expect(load(['one.yaml', one]).digest).toBe('a4367efb74e7b9345a0936e129f5a8440efca5a807651ad332f5759fbc2b5b16');
  });

  it('changes with users, teams and expires', () => {
    const base = load(['one.yaml', one]).digest;
    const withUsers = (list: string) => one.replace('        workspaceTokens:', `${list}        workspaceTokens:`);
    const variants = [
      one.replace('role: DAG_VIEWER', 'role: DAG_VIEWER\n            expires: 2026-12-31'),
      one.replace('role: DAG_VIEWER', 'role: DAG_VIEWER\n            expires: 2027-01-01'),
      one.replace('role: DAG_VIEWER', 'role: DAG_VIEWER\n            expires: 2026-12-31T00:00:00Z'),
      withUsers('        users: []\n'),
      withUsers('        teams: []\n'),
      withUsers('        users: [{user: a@example.com, role: DAG_VIEWER}]\n'),
      withUsers('        users: [{user: A@example.com, role: DAG_VIEWER}]\n'),
      withUsers('        users: [{userId: cm0user000000000000000001, role: DAG_VIEWER}]\n'),
      withUsers('        teams: [{team: a@example.com, role: DAG_VIEWER}]\n'),
      withUsers('        teams: [{team: T, role: DAG_VIEWER, expires: 2026-12-31}]\n'),
    ];
    const digests = variants.map((v) => load(['one.yaml', v]).digest);
    for (const d of digests) expect(d).not.toBe(base);
    expect(new Set(digests).size).toBe(variants.length);
  });

  it('tells an absent token list from an empty one', () => {
    const absent = load(['m.yaml', two.replace('organizationTokens: []', 'workspaceTokens: []')]).digest;
    const both = load(['m.yaml', two.replace('organizationTokens: []', 'workspaceTokens: []\n        organizationTokens: []')]).digest;
    expect(absent).not.toBe(both);
  });
});
