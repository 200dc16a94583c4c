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

  it('tells an absent token list from an empty one', () => {
    const absent = load(['m.yaml', two.replace('organizationTokens: []', 'workspaceTokens: []')]).digest;
    const both = load(['m.yaml', two.replace('organizationTokens: []', 'workspaceTokens: []\n        organizationTokens: []')]).digest;
    expect(absent).not.toBe(both);
  });
});
