import type { ProgressEvent } from '../apply/executor.ts';
import { sanitizeTerminal } from '../util/sanitize.ts';

// Apply's progress. On a terminal: one line, rewritten in place, with the count and an ETA; it is cleared
// at the end, so the receipt that follows is the only per-subject listing. Elsewhere (a pipe, a CI log):
// one plain line per subject (token, user or team), as it finishes.

export type { ProgressEvent };

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  onProgress(line: string, event: ProgressEvent): void;
  /** Clears the terminal line; nothing to do for plain lines. */
  finish(): void;
}

const CLEAR_LINE = '\r\x1b[2K';

export function formatEta(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** The terminal line: `Applying 3/40 tokens · ETA 12 s · applied token ci-deployer`, cut to the terminal's width. */
export function progressLine(e: ProgressEvent, elapsedMs: number, columns: number): string {
  const eta = e.done < e.total ? ` · ETA ${formatEta((elapsedMs / e.done) * (e.total - e.done))}` : '';
  const line = `Applying ${e.done}/${e.total} ${e.unit}${eta} · ${e.status} ${e.subjectType} ${sanitizeTerminal(e.subjectName)}`;
  const max = Math.max(20, columns - 1);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * `plain` receives the per-subject line when the stream is not a terminal (the caller decides whether a run is
 * long enough to want them); `now` is injectable so tests can check the ETA without waiting.
 */
export function progress(
  stream: ProgressStream,
  env: NodeJS.ProcessEnv,
  plain: ((line: string) => void) | undefined,
  now: () => number = Date.now,
): Progress {
  const live = stream.isTTY === true && env['TERM'] !== 'dumb';
  if (!live) return { onProgress: (line) => plain?.(line), finish: () => undefined };
  const started = now();
  let shown = false;
  return {
    onProgress(_line, event) {
      stream.write(CLEAR_LINE + progressLine(event, now() - started, stream.columns ?? 80));
      shown = true;
    },
    finish() {
      if (shown) stream.write(CLEAR_LINE);
    },
  };
}
