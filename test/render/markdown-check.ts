// A small structural reader of the markdown we emit, for assertions: which lines are inside fenced
// code blocks (CommonMark rules for backtick fences), and whether fences and <details> balance.

export interface MarkdownShape {
  /** Lines outside any fenced code block. */
  prose: string[];
  /** The content lines of each fenced block. */
  blocks: string[][];
  fencesBalanced: boolean;
  detailsBalanced: boolean;
}

export function shape(md: string): MarkdownShape {
  const prose: string[] = [];
  const blocks: string[][] = [];
  let fence: string | null = null;
  let current: string[] = [];
  let depth = 0;
  let detailsOk = true;
  for (const line of md.split('\n')) {
    if (fence === null) {
      const open = /^ {0,3}(`{3,})[^`]*$/.exec(line);
      if (open?.[1]) {
        fence = open[1];
        current = [];
        continue;
      }
      prose.push(line);
      depth += (line.match(/<details>/g) ?? []).length;
      depth -= (line.match(/<\/details>/g) ?? []).length;
      if (depth < 0) detailsOk = false;
    } else {
      const close = /^ {0,3}(`{3,})\s*$/.exec(line);
      if (close?.[1] && close[1].length >= fence.length) {
        blocks.push(current);
        fence = null;
        continue;
      }
      current.push(line);
    }
  }
  return { prose, blocks, fencesBalanced: fence === null, detailsBalanced: detailsOk && depth === 0 };
}
