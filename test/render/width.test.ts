import { describe, expect, it } from 'vitest';
import { alignCells, displayWidth } from '../../src/render/width.ts';

describe('displayWidth', () => {
  it('counts terminal cells: wide CJK and emoji take two, combining marks none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('数据')).toBe(4);
    expect(displayWidth('🚀x')).toBe(3);
    expect(displayWidth('e\u0301')).toBe(1);
  });
});

describe('alignCells', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(alignCells([['a', 'bb', 'last'], ['ccc', 'd', 'x']])).toEqual([['a  ', 'bb', 'last'], ['ccc', 'd ', 'x']]);
  });

  it('pads by display width, so wide names keep the next column straight on a terminal', () => {
    const rows = alignCells([['数据', 'id1'], ['abcde', 'id2']]);
    expect(rows.map((r) => displayWidth(r[0]!))).toEqual([5, 5]);
  });
});
