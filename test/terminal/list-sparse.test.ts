import { describe, expect, it } from 'vitest';
import { checkAnswer } from '../../src/astro/answers.ts';
import { normalizeTeam, normalizeUser } from '../../src/astro/subjects.ts';
import type { Team, User } from '../../src/astro/types.ts';
import { teamJson, teamRows, teamTable, userJson, userRows, userTable } from '../../src/commands/list-rows.ts';

// The answer schema requires only what astro-access needs (a user's id, username and status; a team's
// id, name, organizationRole and isIdpManaged): an invited user with no full name, or an answer without
// dates, is listed with blanks, not a crash.
describe('list --kind users|teams on sparse answers', () => {
  it('lists a user with fullName null and no createdAt', () => {
    const checked = checkAnswer('GET', '/organizations/o/users', {
      users: [{ id: 'u1', username: 'a@example.com', status: 'PENDING', fullName: null, deploymentRoles: [{ deploymentId: 'd1', role: 'DEPLOYMENT_ADMIN' }] }],
    });
    if (!checked.ok) throw new Error('the answer should be accepted');
    const rows = userRows((checked.data as { users: User[] }).users.map(normalizeUser), 'd1');
    expect(userTable(rows)).toMatch(/^\s+a@example\.com\s+u1\s+DEPLOYMENT_ADMIN\s*$/m);
    expect(rows.map(userJson)).toEqual([
      { id: 'u1', email: 'a@example.com', fullName: '', status: 'PENDING', deploymentRole: 'DEPLOYMENT_ADMIN', createdAt: null },
    ]);
  });

  it('lists a team with no createdAt', () => {
    const checked = checkAnswer('GET', '/organizations/o/teams', {
      teams: [{ id: 't1', name: 'T', organizationRole: 'ORGANIZATION_MEMBER', isIdpManaged: false, deploymentRoles: [{ deploymentId: 'd1', role: 'DEPLOYMENT_ADMIN' }] }],
    });
    if (!checked.ok) throw new Error('the answer should be accepted');
    const rows = teamRows((checked.data as { teams: Team[] }).teams.map(normalizeTeam), 'd1');
    expect(teamTable(rows)).toMatch(/^t1\s+DEPLOYMENT_ADMIN\s+T\s*$/m);
    expect(rows.map(teamJson)).toEqual([
      { id: 't1', name: 'T', description: '', deploymentRole: 'DEPLOYMENT_ADMIN', isIdpManaged: false, createdAt: null },
    ]);
  });
});
