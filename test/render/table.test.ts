import { describe, expect, it } from 'vitest';
import { formatTable, relativeTime } from '../../src/render/table.ts';
import { displayWidth } from '../../src/render/width.ts';

describe('formatTable', () => {
  it('aligns every column by terminal width, two spaces apart, with no trailing spaces', () => {
    const out = formatTable(['ID', 'NAME', 'ROLE'], [['c1', 'データ', 'DAG_VIEWER'], ['c22', 'ci', 'DEPLOYMENT_ADMIN']]);
    expect(out).toBe('ID   NAME    ROLE\nc1   データ  DAG_VIEWER\nc22  ci      DEPLOYMENT_ADMIN\n');
    const lines = out.trimEnd().split('\n');
    const roleAt = (l: string) => displayWidth(l.slice(0, l.search(/ROLE|DAG|DEPLOY/)));
    expect(new Set(lines.map(roleAt))).toEqual(new Set([13]));
  });

  it('shows control characters in cells as visible escapes', () => {
    expect(formatTable(['NAME'], [['a\x1b[2Jb\nc']])).toBe('NAME\na\\x1b[2Jb\\x0ac\n');
  });
});

describe('relativeTime', () => {
  const now = Date.parse('2024-06-01T12:00:00Z');
  it.each([
    ['2024-06-01T11:59:30Z', 'just now'],
    ['2024-06-01T11:59:00Z', '1 minute ago'],
    ['2024-05-29T12:00:00Z', '3 days ago'],
    ['2023-05-01T12:00:00Z', '1 year ago'],
    ['not a date', ''],
  ])('%s is "%s"', (iso, expected) => {
    expect(relativeTime(iso, now)).toBe(expected);
  });
});
