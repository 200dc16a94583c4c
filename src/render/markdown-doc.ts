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

  /** A line of text that opens a `<details>` (closed by a blank line and `</details>` when cut). */
  openDetailsLine(text: string): this {
    this.entries.push({ text, opens: ['', '</details>'] });
    return this;
  }

  /** A line of text that closes the innermost `<details>`. */
  closeDetailsLine(text: string): this {
    this.entries.push({ text, closes: true });
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

/** How many `<details>` a line opens (positive) or closes (negative), at most one either way. */
function detailsDepth(line: string): number {
  const net = (line.match(/<details\b/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
  return Math.sign(net);
}

/** Markdown text already written, as a document: its fence and `<details>` lines open and close. */
export function markdownDocFromText(text: string): MarkdownDoc {
  const doc = new MarkdownDoc();
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(line);
    const run = m?.[2];
    if (fence !== undefined) {
      if (run !== undefined && run[0] === fence[0] && run.length >= fence.length && line.trim() === run) {
        doc.closeFence(line);
        fence = undefined;
      } else doc.line(line);
    } else if (m !== null && run !== undefined) {
      doc.openFence(`${m[1] ?? ''}${run}`, m[3] ?? '');
      fence = run;
    } else {
      const depth = detailsDepth(line);
      if (depth > 0) doc.openDetailsLine(line);
      else if (depth < 0) doc.closeDetailsLine(line);
      else doc.line(line);
    }
  }
  return doc;
}

/**
 * `text` cut to at most `maxChars` the way MarkdownDoc cuts (at a line, open fences and `<details>`
 * closed), ending with `note`; text within the limit is returned as is. The one body truncator.
 */
export function capMarkdown(text: string, maxChars: number, note: string): string {
  if (text.length <= maxChars) return text;
  return markdownDocFromText(text).render({ maxChars, note: () => note });
}
