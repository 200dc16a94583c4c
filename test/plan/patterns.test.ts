import { describe, expect, it } from 'vitest';
import { closestNames } from '../../src/util/closest.ts';
import { subjectMatcher } from '../../src/plan/patterns.ts';

describe('subjectMatcher', () => {
  const m = subjectMatcher(['break-glass-*', 'bot-?', 'a.b(c)', 'cabc000000000000000000001']);
  const t = (name: string, id = 'cother') => ({ id, name });

  it('matches globs against the whole name', () => {
    expect(m.match(t('break-glass-admin'))).toBe('break-glass-*');
    expect(m.match(t('break-glass-'))).toBe('break-glass-*');
    expect(m.match(t('x-break-glass-admin'))).toBeNull();
    expect(m.match(t('bot-1'))).toBe('bot-?');
    expect(m.match(t('bot-12'))).toBeNull();
  });

  it('treats other characters literally and matches exact IDs', () => {
    expect(m.match(t('a.b(c)'))).toBe('a.b(c)');
    expect(m.match(t('axb(c)'))).toBeNull();
    expect(m.match(t('whatever', 'cabc000000000000000000001'))).toBe('cabc000000000000000000001');
  });

  it('is case-sensitive on token and team names', () => {
    expect(m.match(t('Break-glass-admin'))).toBeNull();
    expect(m.match({ type: 'team', id: 'cteam', name: 'Break-glass-admins' })).toBeNull();
    expect(m.match({ type: 'team', id: 'cteam', name: 'break-glass-admins' })).toBe('break-glass-*');
  });

  it('matches user emails case-insensitively, on both sides', () => {
    const users = subjectMatcher(['*@Contractor.example', 'ops-?@example.com']);
    expect(users.match({ type: 'user', id: 'cu1', name: 'Bob@CONTRACTOR.EXAMPLE' })).toBe('*@Contractor.example');
    expect(users.match({ type: 'user', id: 'cu2', name: 'OPS-1@Example.com' })).toBe('ops-?@example.com');
    expect(users.match({ type: 'user', id: 'cu3', name: 'bob@contractor.example.org' })).toBeNull();
    expect(users.match({ type: 'team', id: 'ct1', name: 'x@CONTRACTOR.EXAMPLE' })).toBeNull();
    // The cache is per subject type: the same ID as a token is matched as a token.
    expect(users.match({ type: 'token', id: 'cu1', name: 'Bob@CONTRACTOR.EXAMPLE' })).toBeNull();
  });
});

describe('closestNames', () => {
  it('returns names within 3 edits, nearest first, at most 3', () => {
    expect(closestNames('prod', ['prd', 'production', 'prod-eu', 'dev', 'pod', 'prodx'])).toEqual(['pod', 'prd', 'prodx']);
    expect(closestNames('prod', ['completely-different'])).toEqual([]);
  });
});
