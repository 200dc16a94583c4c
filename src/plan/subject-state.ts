import { compareSubjects } from './order.ts';
import { describeSubject } from './subjects.ts';
import type { Subject } from './subjects.ts';
import { sanitizeTerminal } from '../util/sanitize.ts';

/**
 * Subjects the manifest binds whose roles may not work as the manifest means them, one warning per
 * subject naming every line: a token whose `endAt` has passed or that is DIRECT_ACCESS (not a STANDARD
 * API token); a user who is not ACTIVE; a team whose membership the identity provider manages.
 */
export function subjectStateWatch(now: number | undefined): { note(s: Subject, source: string): void; warnings(): string[] } {
  const seen = new Map<Subject, { subject: Subject; sources: string[] }>();
  return {
    note(s, source) {
      const entry = seen.get(s);
      if (entry) entry.sources.push(source);
      else seen.set(s, { subject: s, sources: [source] });
    },
    warnings() {
      const out: string[] = [];
      const subjects = [...seen.values()].sort((a, b) => compareSubjects(a.subject.ref, b.subject.ref));
      for (const { subject: s, sources } of subjects) {
        const where = `${describeSubject(s)}, bound at ${sources.join(', ')}`;
        out.push(...problems(s, now).map((p) => `${where}: ${p}`));
      }
      return out;
    },
  };
}

function problems(s: Subject, now: number | undefined): string[] {
  const out: string[] = [];
  if (s.type === 'token') {
    const t = s.token;
    const end = t.endAt === undefined || t.endAt === null ? NaN : Date.parse(t.endAt);
    if (now !== undefined && !Number.isNaN(end) && end <= now) {
      out.push(`expired on ${sanitizeTerminal(t.endAt ?? '')}; its roles have no effect until it is rotated or replaced`);
    }
    if (t.kind === 'DIRECT_ACCESS') {
      out.push('is a DIRECT_ACCESS token, not a STANDARD API token; check that it should hold deployment roles');
    }
  } else if (s.type === 'user') {
    if (s.user.status !== 'ACTIVE') {
      out.push(`has status ${sanitizeTerminal(String(s.user.status))}, not ACTIVE; check that the user should hold deployment roles`);
    }
  } else if (s.team.isIdpManaged) {
    out.push('is managed by the identity provider (isIdpManaged): its members are added and removed there, and each of them holds this role');
  }
  return out;
}
