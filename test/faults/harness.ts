import { runCliInProcess, type CliResult } from '../support/cli.ts';
import type { Emulator } from '../../src/emulator/index.ts';
import type { ApiTokenRole } from '../../src/astro/types.ts';

// In-process CLI runs with captured streams, and the invariants the fault, property and guard tests share.

export type MainResult = CliResult;

/** Runs `main(argv, io)` with in-memory streams, no terminal, and only the given environment. */
export function runMain(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<MainResult> {
  return runCliInProcess(argv, { env });
}

/** Role entries by token ID, each list as canonical sorted JSON lines. */
export type RoleSnapshot = Map<string, string[]>;

export function entryKey(r: ApiTokenRole): string {
  return JSON.stringify([r.entityType, r.entityId, r.role, r.deploymentId ?? null]);
}

export function snapshotRoles(emulator: Emulator): RoleSnapshot {
  return new Map(emulator.state().tokens.map((t) => [t.id, (t.roles ?? []).map(entryKey).sort()]));
}

/**
 * Every entry of `before` that nothing was allowed to change: not a (token, deployment) DEPLOYMENT entry
 * in `owned`. Returns the entries that are missing from `after` (must be empty).
 */
export function lostEntries(before: RoleSnapshot, after: RoleSnapshot, owned: Set<string>): string[] {
  const lost: string[] = [];
  for (const [tokenId, entries] of before) {
    const now = new Set(after.get(tokenId) ?? []);
    for (const e of entries) {
      const [entityType, entityId] = JSON.parse(e) as [string, string];
      if (entityType === 'DEPLOYMENT' && owned.has(`${tokenId}|${entityId}`)) continue;
      if (!now.has(e)) lost.push(`${tokenId}: ${e}`);
    }
  }
  return lost;
}

/** "tokenId|deploymentId" for each action of a plan. */
export function ownedBy(plan: { actions: { subject: { id: string }; deployment: { id: string } }[] }): Set<string> {
  return new Set(plan.actions.map((a) => `${a.subject.id}|${a.deployment.id}`));
}

export const posts = (emulator: Emulator) => emulator.log.filter((e) => e.method === 'POST');
