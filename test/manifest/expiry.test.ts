import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EXPIRES_SHAPE, parseExpiry } from '../../src/manifest/expiry.ts';

const endsAt = (text: string): number => {
  const parsed = parseExpiry(text);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed.endsAt;
};
const problem = (text: string): string => {
  const parsed = parseExpiry(text);
  return 'problem' in parsed ? parsed.problem : `ends at ${new Date(parsed.endsAt).toISOString()}`;
};

describe('parseExpiry', () => {
  it('reads a date as the end of that day in UTC: the first instant of the next day', () => {
    expect(endsAt('2026-12-31')).toBe(Date.parse('2027-01-01T00:00:00Z'));
    expect(endsAt('2028-02-29')).toBe(Date.parse('2028-03-01T00:00:00Z'));
    expect(endsAt('2026-02-28')).toBe(Date.parse('2026-03-01T00:00:00Z'));
  });

  it('reads an RFC 3339 date-time with its offset as that instant', () => {
    expect(endsAt('2026-06-30T18:00:00Z')).toBe(Date.parse('2026-06-30T18:00:00Z'));
    expect(endsAt('2026-06-30T18:00:00+02:00')).toBe(Date.parse('2026-06-30T16:00:00Z'));
    expect(endsAt('2026-06-30T18:00:00-05:30')).toBe(Date.parse('2026-06-30T23:30:00Z'));
    expect(endsAt('2026-12-31t23:30:00-01:00')).toBe(Date.parse('2027-01-01T00:30:00Z'));
    expect(endsAt('2026-06-30T18:00:00z')).toBe(Date.parse('2026-06-30T18:00:00Z'));
  });

  it('rounds fractional seconds up to the millisecond (the grant has ended by then)', () => {
    const base = Date.parse('2026-06-30T18:00:00Z');
    expect(endsAt('2026-06-30T18:00:00.5Z')).toBe(base + 500);
    expect(endsAt('2026-06-30T18:00:00.007Z')).toBe(base + 7);
    expect(endsAt('2026-06-30T18:00:00.0070Z')).toBe(base + 7);
    expect(endsAt('2026-06-30T18:00:00.0071Z')).toBe(base + 8);
    expect(endsAt('2026-06-30T18:00:00.9999Z')).toBe(base + 1000);
  });

  it('takes a leap second (RFC 3339 allows :60) as the start of the next minute', () => {
    expect(endsAt('2016-12-31T23:59:60Z')).toBe(Date.parse('2017-01-01T00:00:00Z'));
  });

  it('reads years before 100 as themselves, not as 19xx', () => {
    expect(new Date(endsAt('0099-12-31')).getUTCFullYear()).toBe(100);
  });

  it('says what is wrong with a value that is no date or time', () => {
    expect(problem('tomorrow')).toMatch(/^must be a date \(YYYY-MM-DD.*\(found "tomorrow"\)$/);
    expect(problem('2026-12-31T18:00:00')).toBe('"2026-12-31T18:00:00" has no offset: add Z for UTC, or one like +02:00');
    expect(problem('2026-12-31 18:00:00Z')).toMatch(/needs a T between the date and the time/);
    expect(problem('2026-13-01')).toBe('"2026-13-01" is not a valid date: there is no month 13');
    expect(problem('2026-00-10')).toBe('"2026-00-10" is not a valid date: there is no month 0');
    expect(problem('2026-02-30')).toBe('"2026-02-30" is not a valid date: February 2026 has 28 days');
    expect(problem('2100-02-29')).toBe('"2100-02-29" is not a valid date: February 2100 has 28 days');
    expect(problem('2026-06-00')).toBe('"2026-06-00" is not a valid date: there is no day 0');
    expect(problem('2026-06-31T10:00:00Z')).toBe('"2026-06-31T10:00:00Z" is not a valid date: June 2026 has 30 days');
    expect(problem('2026-06-30T10:60:00Z')).toBe('"2026-06-30T10:60:00Z" is not a valid time: there is no minute 60');
    expect(problem('2026-06-30T10:00:61Z')).toBe('"2026-06-30T10:00:61Z" is not a valid time: there is no second 61');
    expect(problem('2026-06-30T10:00:00+02:60')).toBe('"2026-06-30T10:00:00+02:60" is not a valid time: the offset +02:60 is out of range');
    for (const bad of ['', '2026-6-30', '2026-06-30T10:00Z', '2026-06-30T10:00:00+0200', '2026-06-30T10:00:00+02', ' 2026-06-30', '2026-06-30\n', '２０２６-06-30']) {
      expect(problem(bad), JSON.stringify(bad)).toMatch(/^must be a date|has no offset/);
    }
  });

  it('accepts exactly the shape the schema checks when the calendar allows it, at the instant Date.parse finds', () => {
    // Each field a little beyond its range, so both sides of every bound come up.
    const field = (max: number, width = 2) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(width, '0'));
    const offset = fc.oneof(fc.constantFrom('Z', 'z', ''), fc.tuple(fc.constantFrom('+', '-'), field(24), field(60)).map(([s, h, m]) => `${s}${h}:${m}`));
    const time = fc.tuple(field(25), field(61), field(61), fc.option(fc.stringMatching(/^[0-9]{1,5}$/)), offset);
    const text = fc.tuple(field(9999, 4), field(13), field(32), fc.option(time))
      .map(([y, m, d, t]) => `${y}-${m}-${d}${t === null ? '' : `T${t[0]}:${t[1]}:${t[2]}${t[3] === null ? '' : `.${t[3]}`}${t[4]}`}`);
    let valid = 0;
    fc.assert(fc.property(fc.oneof(text, fc.string()), (s) => {
      const parsed = parseExpiry(s);
      if (!EXPIRES_SHAPE.test(s)) {
        expect(parsed).toEqual({ problem: expect.not.stringMatching(/is not a valid/) as unknown });
        return;
      }
      if ('problem' in parsed) {
        expect(parsed.problem).toMatch(/is not a valid (date|time)/);
        return;
      }
      valid++;
      // Date.parse reads ISO dates and date-times with Z or an offset (upper case), but not a leap second.
      if (s.length === 10) expect(parsed.endsAt).toBe(Date.parse(`${s}T00:00:00Z`) + 86_400_000);
      else if (!/z|:60[^:]|\.[0-9]{4}/.test(s)) expect(parsed.endsAt).toBe(Date.parse(s));
    }), { numRuns: 2000 });
    expect(valid).toBeGreaterThan(200);
  });
});
