import { describe, expect, it } from 'vitest';
import { commandSafe, logText } from '../../src/github/log-text.ts';

// What the runner would read as a workflow command: a line starting, after blanks, with `::`, or `##[` anywhere.
const isCommand = (line: string) => /^\s*::/.test(line) || line.includes('##[');

describe('logText', () => {
  it('keeps data on one line and never lets it start a workflow command', () => {
    for (const evil of ['::error::x', ' \t::add-mask::secret', 'a\n::error title=t::forged', 'a\r\n::warning::x', 'x ##[error]v1', 'a\u2028::error::x']) {
      const out = logText(evil);
      expect(out).not.toMatch(/[\n\r\u2028]/);
      expect(isCommand(out)).toBe(false);
      // Whatever our own text puts before it, the line still cannot become a command.
      for (const line of commandSafe(`${out}\n${out}`).split('\n')) expect(isCommand(line)).toBe(false);
    }
    expect(logText('plain name')).toBe('plain name');
  });
});

describe('commandSafe', () => {
  it('defangs command starts in our own multi-line text and leaves other colons alone', () => {
    const out = commandSafe('ok: fine\n::error::a\n  ::set-output name=x::y\nhttp://host::1');
    expect(out.split('\n').some(isCommand)).toBe(false);
    expect(out).toContain('ok: fine');
    expect(out).toContain('http://host::1');
  });
});
