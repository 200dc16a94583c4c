// A markdown document built line by line, remembering which fences and <details> are open, so it can
// be cut to a size limit at any line and still be closed properly (a PR comment has a hard cap).

interface Entry {
  text: string;
  /** Lines that close the construct this line opens. */
  opens?: string[];
  closes?: boolean;
}

export class MarkdownDoc {
  private readonly entries: Entry[] = [];

  line(...texts: string[]): this {
    for (const text of texts) this.entries.push({ text });
    return this;
  }

  openFence(fence: string, info: string): this {
    this.entries.push({ text: fence + info, opens: [fence] });
    return this;
  }

  closeFence(fence: string): this {
    this.entries.push({ text: fence, closes: true });
    return this;
  }

  /** `summaryHtml` must already be escaped. A blank line follows, so markdown renders inside. */
  openDetails(summaryHtml: string): this {
    this.entries.push({ text: `<details><summary>${summaryHtml}</summary>`, opens: ['', '</details>'] }, { text: '' });
    return this;
  }

  closeDetails(): this {
    this.entries.push({ text: '' }, { text: '</details>', closes: true });
    return this;
  }

  /**
   * The document, at most `maxChars` long (in UTF-16 units, which never undercounts characters).
   * When it does not fit, it is cut at a line boundary, open constructs are closed, and
   * `note(hiddenLines)` is added; `footer` (if any) always ends the document when it fits.
   */
  render(opts: { maxChars: number; footer?: string; note: (hidden: number) => string }): string {
    // Trailing blank lines say nothing and cost characters.
    const entries = [...this.entries];
    while (entries.length > 0 && entries.at(-1)?.text === '' && !entries.at(-1)?.opens) entries.pop();
    let tail = opts.footer === undefined ? [] : ['', opts.footer];
    const full = [...entries.map((e) => e.text), ...tail].join('\n') + '\n';
    if (full.length <= opts.maxChars) return full;

    const size = (lines: readonly string[]) => lines.reduce((n, l) => n + l.length + 1, 0);
    const noteMax = size(['', opts.note(entries.length)]);
    if (size(tail) + noteMax > opts.maxChars) tail = [];
    const footerSize = size(tail);
    const out: string[] = [];
    let used = 0;
    let stack: string[][] = [];
    let taken = 0;
    for (const e of entries) {
      const next = e.closes ? stack.slice(0, -1) : e.opens ? [...stack, e.opens] : stack;
      const closing = next.reduce((n, c) => n + size(c), 0);
      if (used + e.text.length + 1 + closing + noteMax + footerSize > opts.maxChars) break;
      out.push(e.text);
      used += e.text.length + 1;
      stack = next;
      taken++;
    }
    for (const closer of [...stack].reverse()) out.push(...closer);
    out.push('', opts.note(entries.length - taken), ...tail);
    const result = out.join('\n') + '\n';
    // Only an absurdly small limit gets here: even the note does not fit.
    if (result.length <= opts.maxChars) return result;
    const cut = opts.maxChars > 0 ? result.lastIndexOf('\n', opts.maxChars - 1) : -1;
    return result.slice(0, cut + 1);
  }
}
