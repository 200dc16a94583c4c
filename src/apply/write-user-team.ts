import type { AstroWriter } from '../astro/api.ts';
import { fingerprintsOf, fingerprintRoleSet } from '../plan/fingerprint.ts';
import type { Plan } from '../plan/types.ts';
import type { UserTeamReceipt } from './receipt.ts';
import { casWrite } from './cas-write.ts';
import { deploymentRolesLive, differences, roleSetOf, userTeamBody, type RoleSet, type UserTeamBody } from './user-team-roles.ts';

// A user's or team's roles write: the whole set (organizationRole, workspaceRoles, dagRoles as read)
// with only the plan's deployment roles changed, confirmed by a GET.

export type UserTeamClient = Pick<AstroWriter, 'getUser' | 'getTeam' | 'updateUserRoles' | 'updateTeamRoles'>;

/** Carries out one user's or team's actions, filling in its receipt as it goes. */
export function applyUserOrTeam(plan: Plan, client: UserTeamClient, receipt: UserTeamReceipt, stop: AbortSignal | undefined): Promise<void> {
  const { subject, actions } = receipt;
  const { type, id } = subject;
  return casWrite<RoleSet, UserTeamBody, RoleSet>(
    {
      type,
      expected: fingerprintsOf(plan, type)[id]?.fingerprint,
      read: async () => {
        const got = type === 'user' ? await client.getUser(id) : await client.getTeam(id);
        if (got.requestId) receipt.requestIds.push(got.requestId);
        return roleSetOf('user' in got ? got.user : got.team);
      },
      fingerprint: fingerprintRoleSet,
      alreadyLive: (read) => deploymentRolesLive(read, actions),
      build: (read) => {
        const { organizationRole } = read;
        // The roles POST requires organizationRole: sending none would be refused, and guessing one would change it.
        if (organizationRole === null) {
          return { problem: `its organizationRole reads as null and the roles write requires one; nothing written (give the ${type} an organization role, then plan again)` };
        }
        return { body: userTeamBody({ ...read, organizationRole }, actions) };
      },
      // The set read equals the set sent, but for the server's own Workspace Accessor entry.
      landed: (now, sent) => differences(now, sent, actions).length === 0,
      write: (body, beforeRetry) =>
        type === 'user' ? client.updateUserRoles(id, body, { beforeRetry }) : client.updateTeamRoles(id, body, { beforeRetry }),
      // The answer documents deployment roles for tokens only: a GET always confirms.
      answerConfirms: () => false,
      mismatches: (now, sent) => differences(now, sent, actions),
      record: (read) => read,
    },
    receipt,
    stop,
  );
}
