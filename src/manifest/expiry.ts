import { quote } from '../util/sanitize.ts';

// `expires` values: a date, meaning the end of that day in UTC, or an RFC 3339 date-time with an offset.
// A date-time without an offset is refused: read in the runner's time zone it would end at a different
// instant on every machine.

/** The shape the schema checks (schemas/manifest.schema.json spells the same pattern); parseExpiry checks the ranges. */
export const EXPIRES_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$';
export const EXPIRES_SHAPE = new RegExp(EXPIRES_PATTERN);

/** What a message says `expires` must be. */
export const EXPIRES_EXPECTED = 'must be a date (YYYY-MM-DD: the grant ends with that day, UTC) or an RFC 3339 date-time with an offset, like 2026-12-31 or 2026-12-31T18:00:00Z';

const DATE_TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2})))?$/;
const WITHOUT_OFFSET = /^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$/;
const SPACE_SEPARATED = /^[0-9]{4}-[0-9]{2}-[0-9]{2} +[0-9]{2}:/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `endsAt`: ms since the epoch, the first instant the grant no longer holds. `problem` reads after `"expires" `. */
export type ParsedExpiry = { endsAt: number } | { problem: string };

export function parseExpiry(text: string): ParsedExpiry {
  const m = DATE_TIME.exec(text);
  if (m === null) return { problem: shapeProblem(text) };
  const [, y = '', mo = '', d = '', h = '', mi = '', s = '', fraction = '', sign = '', oh = '', om = ''] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12) return notA('date', text, `there is no month ${month}`);
  const days = daysIn(year, month);
  if (day < 1 || day > days) {
    return notA('date', text, day < 1 ? 'there is no day 0' : `${MONTHS[month - 1] ?? ''} ${year} has ${days} days`);
  }
  if (h === '') return { endsAt: utc(year, month, day + 1) };
  const [hour, minute, second] = [Number(h), Number(mi), Number(s)];
  if (hour > 23) return notA('time', text, `there is no hour ${hour}`);
  if (minute > 59) return notA('time', text, `there is no minute ${minute}`);
  // 60: a leap second, which RFC 3339 allows (it ends where the next minute starts).
  if (second > 60) return notA('time', text, `there is no second ${second}`);
  if (Number(oh) > 23 || Number(om) > 59) return notA('time', text, `the offset ${sign}${oh}:${om} is out of range`);
  const offsetMinutes = sign === '' ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  return { endsAt: utc(year, month, day, hour, minute, second) + ceilMillis(fraction) - offsetMinutes * 60_000 };
}

function shapeProblem(text: string): string {
  if (WITHOUT_OFFSET.test(text)) return `${quote(text)} has no offset: add Z for UTC, or one like +02:00`;
  if (SPACE_SEPARATED.test(text)) return `${quote(text)} needs a T between the date and the time, and an offset: like 2026-12-31T18:00:00Z`;
  return `${EXPIRES_EXPECTED} (found ${quote(text)})`;
}

function notA(what: 'date' | 'time', text: string, why: string): ParsedExpiry {
  return { problem: `${quote(text)} is not a valid ${what}: ${why}` };
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Date.UTC without its mapping of years 0–99 to 1900–1999. Day, hour, minute and second may overflow into the next. */
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day);
  t.setUTCHours(hour, minute, second, 0);
  return t.getTime();
}

/** Fractional seconds as whole milliseconds, rounded up: the grant ends at that instant, not before it. */
function ceilMillis(fraction: string): number {
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  return /[1-9]/.test(fraction.slice(3)) ? ms + 1 : ms;
}
