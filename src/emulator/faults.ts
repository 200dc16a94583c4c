import type { ApiTokenRole, UpdateSubjectRolesRequest } from '../astro/types.ts';

// Faults injected on demand. Each request-level fault matches by method and path and fires `times` times;
// a foreignWrite fires once, after the Nth GET of one token, user or team (or roles POST to it).

/** Which requests a fault applies to. `path`: a string matches the whole path or its tail at a segment
 * boundary, `*` standing for one segment (`/tokens/* /roles` without the space); a RegExp is tested on the whole path. */
export interface FaultMatch {
  method?: string;
  path?: string | RegExp;
}

export type Fault =
  /** Answer with this status (a JSON error body unless `body` is given); nothing is handled. */
  | ({ kind: 'status'; status: number; times: number; retryAfter?: string; body?: string } & FaultMatch)
  /** Wait `ms` before handling the request as usual. */
  | ({ kind: 'delay'; ms: number; times: number } & FaultMatch)
  /** Drop the connection: before any answer (nothing handled), or mid-body (handled, then cut after the headers and half the body). */
  | ({ kind: 'reset'; times: number; when: 'before-response' | 'mid-body' } & FaultMatch)
  /** Never answer (until the emulator closes). */
  | ({ kind: 'hang'; times: number } & FaultMatch)
  /** Handle the request, then send a truncated body that is not valid JSON (or `body`, as it is). */
  | ({ kind: 'malformed'; times: number; body?: string } & FaultMatch)
  /**
   * Replace this token's roles as another admin would: after the Nth GET of the token (default 1) has
   * been answered; with `on: 'write'` after the Nth roles POST to it was handled and answered; with
   * `on: 'rejectedWrite'` after the Nth roles POST answered by an injected status fault (a 429 or 5xx:
   * the write a client will retry). `afterReads` counts these events, whichever they are.
   */
  | ({ kind: 'foreignWrite'; tokenId: string; roles: ApiTokenRole[] } & ForeignWriteWhen)
  /** The same for a user's or a team's whole role set (stored as given: no checks, no server additions). */
  | ({ kind: 'foreignWrite'; userId: string; set: UpdateSubjectRolesRequest } & ForeignWriteWhen)
  | ({ kind: 'foreignWrite'; teamId: string; set: UpdateSubjectRolesRequest } & ForeignWriteWhen);

export interface ForeignWriteWhen {
  afterReads?: number;
  on?: ForeignWriteTrigger;
}

export type ForeignWriteTrigger = 'read' | 'write' | 'rejectedWrite';

export type RequestFault = Exclude<Fault, { kind: 'foreignWrite' }>;
export type ForeignWrite = Extract<Fault, { kind: 'foreignWrite' }>;

/** What a foreign write replaces: `token:ID`, `user:ID` or `team:ID`. */
export type SubjectKey = `${'token' | 'user' | 'team'}:${string}`;

export function foreignWriteTarget(f: ForeignWrite): SubjectKey {
  if ('tokenId' in f) return `token:${f.tokenId}`;
  return 'userId' in f ? `user:${f.userId}` : `team:${f.teamId}`;
}

export class FaultQueue {
  private request: { fault: RequestFault; left: number }[] = [];
  private foreign: { fault: ForeignWrite; reads: number }[] = [];

  add(f: Fault): void {
    if (f.kind === 'foreignWrite') this.foreign.push({ fault: structuredClone(f), reads: 0 });
    else if (f.times > 0) this.request.push({ fault: f, left: f.times });
  }

  clear(): void {
    this.request = [];
    this.foreign = [];
  }

  /** Consumes the matching faults for one request: every matching delay, then the first other kind. */
  take(method: string, path: string): { delayMs: number; fault: RequestFault | undefined } {
    let delayMs = 0;
    let fault: RequestFault | undefined;
    for (const entry of this.request) {
      if (entry.left <= 0 || !matches(entry.fault, method, path)) continue;
      if (entry.fault.kind === 'delay') {
        delayMs += entry.fault.ms;
        entry.left -= 1;
      } else if (fault === undefined) {
        fault = entry.fault;
        entry.left -= 1;
      }
    }
    this.request = this.request.filter((e) => e.left > 0);
    return { delayMs, fault };
  }

  /** Counts an event on the subject for each of its foreign writes with that trigger; returns the write due now, if any. */
  subjectEvent(subject: SubjectKey, on: ForeignWriteTrigger = 'read'): ForeignWrite | undefined {
    const mine = this.foreign.filter((e) => foreignWriteTarget(e.fault) === subject && (e.fault.on ?? 'read') === on);
    for (const e of mine) e.reads += 1;
    const due = mine.find((e) => e.reads >= (e.fault.afterReads ?? 1));
    if (due === undefined) return undefined;
    this.foreign = this.foreign.filter((e) => e !== due);
    return due.fault;
  }
}

function matches(m: FaultMatch, method: string, path: string): boolean {
  if (m.method !== undefined && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.path === undefined) return true;
  if (m.path instanceof RegExp) return m.path.test(path);
  const pattern = m.path.split('/').filter((s) => s !== '');
  const segments = path.split('/').filter((s) => s !== '');
  if (pattern.length > segments.length) return false;
  const tail = segments.slice(segments.length - pattern.length);
  return pattern.every((p, i) => p === '*' || p === tail[i]);
}
