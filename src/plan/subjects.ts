import type { ActualTeam, ActualToken, ActualUser } from '../astro/actual.ts';
import type { PlanSubjectRef, SubjectType } from './types.ts';
import { fingerprintRoles, fingerprintRoleSet } from './fingerprint.ts';
import { quote, sanitizeTerminal } from '../util/sanitize.ts';

// What holds a deployment role, as the planner handles it: one object per live token, user or team,
// made once by the index, carrying the plan's reference to it (shared by every action and listing).
// Being one object each, subjects serve as their own keys in maps and sets.

interface SubjectBase {
  type: SubjectType;
  id: string;
  /** A token's name, a user's username (email), a team's name. */
  name: string;
  ref: PlanSubjectRef;
}

export interface TokenSubject extends SubjectBase { type: 'token'; token: ActualToken }
export interface UserSubject extends SubjectBase { type: 'user'; user: ActualUser }
export interface TeamSubject extends SubjectBase { type: 'team'; team: ActualTeam }
export type Subject = TokenSubject | UserSubject | TeamSubject;

export function tokenSubject(token: ActualToken): TokenSubject {
  const ref: PlanSubjectRef = { type: 'token', id: token.id, name: token.name, scope: token.scope };
  return { type: 'token', id: token.id, name: token.name, ref, token };
}

export function userSubject(user: ActualUser): UserSubject {
  const ref: PlanSubjectRef = { type: 'user', id: user.id, name: user.username };
  return { type: 'user', id: user.id, name: user.username, ref, user };
}

export function teamSubject(team: ActualTeam): TeamSubject {
  const ref: PlanSubjectRef = { type: 'team', id: team.id, name: team.name };
  return { type: 'team', id: team.id, name: team.name, ref, team };
}

/** `token "ci" (c…)`, `user "ana@example.com" (c…)`, `team "Data" (c…)`: quoted for terminals. */
export function describeSubject(s: Pick<Subject, 'type' | 'id' | 'name'>): string {
  return `${s.type} ${quote(s.name)} (${sanitizeTerminal(s.id)})`;
}

/** The compare-and-swap value of the subject's whole role set as read. */
export function subjectFingerprint(s: Subject): string {
  if (s.type === 'token') return fingerprintRoles(s.token.roles);
  return fingerprintRoleSet(s.type === 'user' ? s.user : s.team);
}
