// ANSI styling for the terminal, and the decision whether to use it (https://no-color.org).

export type Style = 'green' | 'yellow' | 'red' | 'dim' | 'bold';

const CODES: Record<Style, [number, number]> = {
  green: [32, 39],
  yellow: [33, 39],
  red: [31, 39],
  dim: [2, 22],
  bold: [1, 22],
};

export type Paint = (style: Style, s: string) => string;

export function painter(color: boolean): Paint {
  if (!color) return (_style, s) => s;
  return (style, s) => {
    if (s === '') return s;
    const [on, off] = CODES[style];
    return `\x1b[${on}m${s}\x1b[${off}m`;
  };
}

/**
 * Colour only on a terminal. NO_COLOR (non-empty) and TERM=dumb always turn it off; otherwise
 * FORCE_COLOR (any value but "0"/"false") turns it on even when the stream is not a TTY.
 */
export function shouldUseColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return stream.isTTY === true;
}

/**
 * A stderr line with its leading `error:` or `warning:` coloured. Only our own prefix is painted: the rest of
 * the line may hold names from the API or the manifest, and no colour code is ever put around those.
 */
export function paintPrefix(line: string, color: boolean): string {
  if (!color) return line;
  const paint = painter(true);
  return line.replace(/^(error|warning):/, (m: string, word: string) => paint(word === 'error' ? 'red' : 'yellow', m));
}
