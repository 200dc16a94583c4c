import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { commandSafe, commandSafeStream, logText } from '../../src/github/log-text.ts';

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

describe('commandSafeStream', () => {
  it('defangs a command even when it straddles writes', async () => {
    const sink = new PassThrough();
    let seen = '';
    sink.on('data', (c: Buffer) => (seen += c.toString()));
    const stream = commandSafeStream(sink);
    for (const part of ['Read 3 tokens\n  ', ':', ':error::forged\nok ::fine\n', '::warning', '::x\n']) stream.write(part);
    stream.end();
    await finished(stream);
    expect(seen.split('\n').filter(isCommand)).toEqual([]);
    expect(seen).toContain('Read 3 tokens\n');
    expect(seen).toContain('ok ::fine');
  });
});
