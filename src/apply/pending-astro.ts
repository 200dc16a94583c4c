// TEMPORARY until helper E's client lands on main: the user/team read and write as CONTRACT16 names them.
import type { DagRoleEntry, DeploymentRoleEntry, SubjectRoles, Team, UpdateSubjectRolesRequest, User, WorkspaceRoleEntry } from '../astro/types.ts';

export interface ActualRoleLists {
  workspaceRoles: WorkspaceRoleEntry[];
  deploymentRoles: DeploymentRoleEntry[];
  dagRoles: DagRoleEntry[];
}
export type ActualUser = User & ActualRoleLists;
export type ActualTeam = Team & ActualRoleLists;

export interface UserTeamClient {
  getUser(userId: string): Promise<{ user: ActualUser; requestId: string | undefined }>;
  getTeam(teamId: string): Promise<{ team: ActualTeam; requestId: string | undefined }>;
  updateUserRoles(
    userId: string,
    body: UpdateSubjectRolesRequest,
    opts?: { beforeRetry?: () => Promise<UpdateSubjectRolesRequest> },
  ): Promise<{ result: SubjectRoles; requestId: string | undefined }>;
  updateTeamRoles(
    teamId: string,
    body: UpdateSubjectRolesRequest,
    opts?: { beforeRetry?: () => Promise<UpdateSubjectRolesRequest> },
  ): Promise<{ result: SubjectRoles; requestId: string | undefined }>;
}
