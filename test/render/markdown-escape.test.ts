import { describe, expect, it } from 'vitest';
import { code, escapeMarkdownText, fenceFor } from '../../src/render/markdown-escape.ts';

/** What a browser shows for our escaped text: numeric references decoded. */
function decode(s: string): string {
  return s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)));
}

describe('escapeMarkdownText', () => {
  it('turns every markdown and HTML special character into a numeric reference', () => {
    const out = escapeMarkdownText('\\ * _ [ ] < > | # ~ ` &');
    expect(out.replace(/&#\d+;/g, '')).toBe('           ');
    expect(decode(out)).toBe('\\ * _ [ ] < > | # ~ ` &');
  });

  it('neutralizes HTML, links, emphasis and table pipes', () => {
    for (const s of ['</details><img src=x onerror=alert(1)>', '[link](http://x)', '**bold**', 'a|b', '```']) {
      const out = escapeMarkdownText(s);
      expect(out).not.toMatch(/[<>[\]|*`]/);
    }
  });

  it('breaks @mentions, #references and bare links with a zero-width space (still readable)', () => {
    expect(escapeMarkdownText('@org/team')).toBe('@&#8203;org/team');
    expect(decode(escapeMarkdownText('fixes #12'))).toBe('fixes #\u200b12');
    expect(decode(escapeMarkdownText('see http://x and www.example.com'))).toBe('see http:\u200b//x and www\u200b.example.com');
    expect(escapeMarkdownText('plain-name_1')).toBe('plain-name&#95;1');
  });

  it('shows control characters as visible escapes, so a name cannot start a new line', () => {
    expect(escapeMarkdownText('a\nb\x1b')).not.toMatch(/[\n\x1b]/);
  });
});

describe('fenceFor', () => {
  it('is three backticks unless a line holds a run of three or more', () => {
    expect(fenceFor(['+ a', '- b'])).toBe('```');
    expect(fenceFor(['+ a```b', '- ````'])).toBe('`````');
  });
});

describe('code', () => {
  it('is an HTML code element, so backticks and pipes in the value cannot end it', () => {
    expect(code('a`|b')).toBe('<code>a&#96;&#124;b</code>');
  });
});
