// SIGINT/SIGTERM during apply. The first signal asks the apply to stop starting new tokens and let the
// writes in flight finish; a second one (or the grace period running out) means: stop now.

/** How long writes in flight may take to finish after the first signal. */
export const GRACE_MS = 30_000;

export interface Interrupt {
  /** Aborted on the first signal. */
  stop: AbortSignal;
  /** Resolves on the second signal, or GRACE_MS after the first. */
  forced: Promise<'forced'>;
  /** Removes the handlers (the default behaviour of the signals returns). */
  uninstall(): void;
}

export function trapInterrupts(onFirst: (signal: NodeJS.Signals) => void, graceMs = GRACE_MS): Interrupt {
  const controller = new AbortController();
  let force: () => void = () => undefined;
  const forced = new Promise<'forced'>((resolve) => (force = () => resolve('forced')));
  const handler = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      force();
      return;
    }
    controller.abort();
    onFirst(signal);
    setTimeout(force, graceMs).unref();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    stop: controller.signal,
    forced,
    uninstall: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/** Where an interrupted apply without --receipt leaves its receipt (relative to the working directory). */
export function defaultReceiptPath(now: Date = new Date()): string {
  return `.astro-access/receipts/apply-${now.toISOString().replace(/[:.]/g, '-')}.json`;
}
