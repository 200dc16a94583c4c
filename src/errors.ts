import type { Diagnostic } from './manifest/types.ts';

// Named errors; the CLI maps them to messages and exit codes in one place (src/cli.ts).

/** Problems in the user's manifest files, all of them at once. */
export class ManifestError extends Error {
  readonly diagnostics: Diagnostic[];
  /** Problems in all: more than the diagnostics when a file's cap left some out ("… N more problems"). */
  readonly count: number;
  constructor(diagnostics: Diagnostic[], count = diagnostics.length) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'ManifestError';
    this.diagnostics = diagnostics;
    this.count = count;
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.message}`;
}

/** An error answer (or no answer) from the Astro API. Never carries the API token. */
export class AstroApiError extends Error {
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly fieldErrors: { field: string; code: string; message: string }[];
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  /** What to do about it, when known (which setting, token or permission): printed after the error. */
  readonly hint: string | undefined;
  constructor(opts: {
    message: string;
    status?: number;
    requestId?: string;
    fieldErrors?: { field: string; code: string; message: string }[];
    method: string;
    path: string;
    attempts: number;
    hint?: string;
    cause?: unknown;
  }) {
    super(opts.message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AstroApiError';
    this.status = opts.status;
    this.requestId = opts.requestId;
    this.fieldErrors = opts.fieldErrors ?? [];
    this.method = opts.method;
    this.path = opts.path;
    this.attempts = opts.attempts;
    this.hint = opts.hint;
  }
}

/** A safety guard refused the plan; nothing was written. */
export class GuardError extends Error {
  readonly violations: string[];
  constructor(violations: string[]) {
    super(`refused by safety guards:\n${violations.map((v) => `  - ${v}`).join('\n')}`);
    this.name = 'GuardError';
    this.violations = violations;
  }
}

/** Bad command-line usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Bad configuration: the environment (ASTRO_API_TOKEN, ASTRO_API_URL, rate limits) the client is given.
 * A kind of usage error: the person running the tool fixes it, and it is reported the same way.
 */
export class ConfigError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A bad input of the GitHub Action (`with:` in the workflow). */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** The Action cannot handle this run: an event the command does not run on, or a payload or
 * environment without what the event needs. */
export class EventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventError';
  }
}

/** GitHub answered, but not with what the Action needs (a file's content, the token's login). */
export class GitHubAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitHubAnswerError';
  }
}
