import type { AstroWriter } from '../astro/api.ts';
import type { UpdateSubjectRolesRequest } from '../astro/types.ts';
import { AstroApiError } from '../errors.ts';
import { fingerprintsOf, fingerprintSubjectRoles } from '../plan/fingerprint.ts';
import type { Plan } from '../plan/types.ts';
import type { UserTeamReceipt } from './receipt.ts';
import { deploymentRolesLive, differences, roleSetOf, userTeamBody, type RoleSet } from './user-team-roles.ts';
import { describeFailure, refusedOutright, RetryStopped } from './write-outcome.ts';

// One user's or team's compare-and-swap write, as for tokens: GET, compare with the plan's fingerprint,
// one POST of the whole set with only the owned deployment roles changed, then a GET to confirm (the
// POST's answer documents deployment roles for tokens only, so it is never taken as proof).

export type UserTeamClient = Pick<AstroWriter, 'getUser' | 'getTeam' | 'updateUserRoles' | 'updateTeamRoles'>;

/** Carries out one user's or team's actions, filling in its receipt as it goes. */
export async function applyUserOrTeam(
  plan: Plan,
  client: UserTeamClient,
  receipt: UserTeamReceipt,
  stop: AbortSignal | undefined,
): Promise<void> {
  const { subject, actions } = receipt;
  const { type, id } = subject;
  receipt.status = 'interrupted'; // until it ends one way or another
  const read = async (): Promise<RoleSet> => {
    const got = type === 'user' ? await client.getUser(id) : await client.getTeam(id);
    if (got.requestId) receipt.requestIds.push(got.requestId);
    return roleSetOf('user' in got ? got.user : got.team);
  };
  const write = (body: UpdateSubjectRolesRequest, beforeRetry: () => Promise<UpdateSubjectRolesRequest>) =>
    type === 'user' ? client.updateUserRoles(id, body, { beforeRetry }) : client.updateTeamRoles(id, body, { beforeRetry });
  try {
    const before = await read();
    receipt.before = before;
    const expected = fingerprintsOf(plan, type)[id]?.fingerprint;
    const changed = fingerprintSubjectRoles(before) !== expected;
    if (expected !== undefined && changed && deploymentRolesLive(before, actions)) {
      receipt.status = 'already-applied';
      return;
    }
    if (expected === undefined || changed) {
      receipt.status = 'conflict';
      receipt.error = expected === undefined
        ? `the plan holds no fingerprint for this ${type}; nothing written`
        : 'its roles changed since the plan was made; nothing written (plan again)';
      return;
    }
    const { organizationRole } = before;
    if (organizationRole === null) {
      // The roles POST requires organizationRole: sending none would be refused, and guessing one would change it.
      receipt.status = 'failed';
      receipt.error = `its organizationRole reads as null and the roles write requires one; nothing written (give the ${type} an organization role, then plan again)`;
      return;
    }
    let sent = userTeamBody({ ...before, organizationRole }, actions);
    // The write landed when the set read equals the set sent, but for the server's own Workspace Accessor entry.
    const landed = (now: RoleSet): boolean => differences(now, sent, actions).length === 0;
    // Before each retry the set as it is now decides, as for tokens: landed, as planned (retry with a
    // body built from this read), or changed by someone else (stop: resending would erase it).
    const beforeRetry = async (): Promise<UpdateSubjectRolesRequest> => {
      const now = await read();
      if (landed(now)) throw new RetryStopped('landed');
      if (fingerprintSubjectRoles(now) !== expected) throw new RetryStopped('conflict');
      if (stop?.aborted) throw new RetryStopped('interrupted');
      sent = userTeamBody({ ...now, organizationRole }, actions);
      return sent;
    };
    try {
      const answer = await write(sent, beforeRetry);
      if (answer.requestId) receipt.requestIds.push(answer.requestId);
    } catch (err) {
      if (!(err instanceof RetryStopped)) {
        if (refusedOutright(err)) throw err;
        // No verdict (a timeout, a reset, a 5xx): one more GET decides what the receipt says.
        receipt.status = 'failed';
        let now: RoleSet;
        try {
          now = await read();
        } catch (readErr) {
          receipt.error = `${describeFailure(err, type)}; the write may have landed, and the ${type} could not be re-read (${describeFailure(readErr, type)}): plan again`;
          return;
        }
        if (landed(now)) {
          receipt.status = 'applied';
          receipt.after = sent;
        } else if (fingerprintSubjectRoles(now) === expected) {
          receipt.error = `${describeFailure(err, type)}; nothing written (the ${type} is as planned)`;
        } else {
          receipt.error = `${describeFailure(err, type)}; the ${type} changed: the write may have landed in part or someone else wrote (plan again)`;
        }
        return;
      }
      if (err.outcome === 'conflict') {
        receipt.status = 'conflict';
        receipt.error = 'its roles changed while the write was retried (someone else wrote); nothing more written (plan again)';
        return;
      }
      if (err.outcome === 'interrupted') {
        receipt.status = 'interrupted';
        receipt.error = `the write failed and apply was interrupted before its retry; the ${type} is as it was (re-read)`;
        return;
      }
      // landed: confirmed below like any write
    }
    receipt.after = sent;
    let problems: string[];
    try {
      problems = differences(await read(), sent, actions);
    } catch (err) {
      receipt.status = 'failed';
      receipt.error = `written (the server accepted it), but the confirming read failed: ${describeFailure(err, type)}`;
      return;
    }
    if (problems.length > 0) {
      receipt.status = 'failed';
      receipt.error = `written, but the result does not match: ${problems.join('; ')}`;
      return;
    }
    receipt.status = 'applied';
  } catch (err) {
    receipt.status = 'failed';
    receipt.error = describeFailure(err, type);
    if (err instanceof AstroApiError && err.requestId) receipt.requestIds.push(err.requestId);
  }
}
