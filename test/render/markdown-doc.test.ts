import { describe, expect, it } from 'vitest';
import { MarkdownDoc, capMarkdown } from '../../src/render/markdown-doc.ts';
import { shape } from './markdown-check.ts';

const note = (n: number) => `_… ${n} more lines not shown._`;

function bigDoc(): MarkdownDoc {
  const doc = new MarkdownDoc().line('# Title', '');
  doc.openDetails('section');
  doc.openFence('```', 'diff');
  for (let i = 0; i < 100; i++) doc.line(`+ line ${i}`);
  doc.closeFence('```').closeDetails();
  return doc;
}

describe('MarkdownDoc.render', () => {
  it('returns the whole document when it fits', () => {
    const out = bigDoc().render({ maxChars: 100_000, note });
    expect(out).not.toContain('more lines not shown');
    expect(out).toContain('+ line 99\n```\n\n</details>\n');
  });

  it('cuts at a line, closes the open fence and details, and says how much is hidden', () => {
    for (const maxChars of [60, 120, 300, 700]) {
      const out = bigDoc().render({ maxChars, note });
      expect(out.length).toBeLessThanOrEqual(maxChars);
      const s = shape(out);
      expect(s.fencesBalanced).toBe(true);
      expect(s.detailsBalanced).toBe(true);
      expect(out).toMatch(/_… \d+ more lines not shown\._\n$/);
    }
  });

  it('counts the hidden lines exactly', () => {
    const doc = bigDoc();
    const full = doc.render({ maxChars: 100_000, note }).split('\n').length - 1;
    const out = doc.render({ maxChars: 400, note });
    const hidden = Number(/_… (\d+) more/.exec(out)?.[1]);
    const shownBeforeClosers = out.split('\n').findIndex((l) => l === '```' || l === '</details>');
    expect(hidden).toBeGreaterThan(0);
    expect(hidden + shownBeforeClosers).toBe(full);
  });

  it('keeps the footer at the end when cut', () => {
    const out = bigDoc().render({ maxChars: 500, note, footer: '<!-- marker -->' });
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out.endsWith('\n\n<!-- marker -->\n')).toBe(true);
  });

  it('never exceeds even an absurdly small limit', () => {
    for (const maxChars of [0, 5, 20]) expect(bigDoc().render({ maxChars, note }).length).toBeLessThanOrEqual(maxChars);
  });
});

describe('capMarkdown (text already written)', () => {
  const text = ['# Title', '', '<details><summary>prod</summary>', '', '````diff', ...Array.from({ length: 200 }, (_, i) => `+ line ${i}`), '````', '', '</details>', ''].join('\n');

  it('returns text within the limit as is', () => {
    expect(capMarkdown(text, text.length, 'NOTE')).toBe(text);
  });

  it('cuts at a line, closes the fence and the <details> the cut leaves open, and ends with the note', () => {
    const out = capMarkdown(text, 600, '> Truncated');
    expect(out.length).toBeLessThanOrEqual(600);
    expect(out).toMatch(/\+ line \d+\n````\n\n<\/details>\n\n> Truncated\n$/);
    const s = shape(out);
    expect(s.fencesBalanced).toBe(true);
    expect(s.detailsBalanced).toBe(true);
  });
});
