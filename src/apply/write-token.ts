import type { AstroWriter } from '../astro/api.ts';
import type { ActualToken } from '../astro/actual.ts';
import type { ApiTokenRole } from '../astro/types.ts';
import { fingerprintRoles } from '../plan/fingerprint.ts';
import type { Plan } from '../plan/types.ts';
import { casWrite } from './cas-write.ts';
import { alreadyLive, holdsAll, mergeRoles, ownScopeProblem, verifyResult, verifyRoles } from './merge-roles.ts';
import type { TokenReceipt } from './receipt.ts';

// A token's roles write: the whole role list, with only the plan's DEPLOYMENT entries changed.

export type TokenClient = Pick<AstroWriter, 'getToken' | 'replaceTokenRoles'>;

/** Carries out one token's actions, filling in its receipt as it goes (so a snapshot shows the progress). */
export function applyToken(plan: Plan, client: TokenClient, receipt: TokenReceipt, stop: AbortSignal | undefined): Promise<void> {
  const { subject, actions } = receipt;
  const id = subject.id;
  return casWrite<ActualToken, ApiTokenRole[], ApiTokenRole[]>(
    {
      type: 'token',
      expected: plan.tokens[id]?.fingerprint,
      read: async () => {
        const { token, requestId } = await client.getToken(id);
        if (requestId) receipt.requestIds.push(requestId);
        return token;
      },
      fingerprint: (t) => fingerprintRoles(t.roles),
      alreadyLive: (t) => alreadyLive(t.roles, actions),
      build: (t) => {
        const body = mergeRoles(t.roles, actions);
        // A token read without its own-scope entry would lose its workspace/organization and DAG roles.
        const unsafe = ownScopeProblem(t.scope, body);
        return unsafe ? { problem: `${unsafe}; nothing written` } : { body };
      },
      // Every entry sent is held (a server may add entries of its own) and the owned deployments are as planned.
      landed: (t, sent) => holdsAll(t.roles, sent) && verifyRoles(t.roles, actions).length === 0,
      write: (body, beforeRetry) => client.replaceTokenRoles(id, body, { beforeRetry }),
      answerConfirms: (result) => verifyResult(result, actions).length === 0,
      mismatches: (t) => verifyRoles(t.roles, actions),
      record: (t) => t.roles,
    },
    receipt,
    stop,
  );
}
