// The manifest after loading, validation and normalization: plain data, every node with its position.

export interface SourceLocation {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

/** A reference by exact name or by ID: exactly one of the two is set. */
export interface Reference {
  name?: string;
  id?: string;
  /** Where the `name`/`id` value stands in the file. */
  at: SourceLocation;
}

export type TokenKind = 'workspace' | 'organization';

/** What a binding gives a role to: a workspace or organization token, a user or a team. */
export type BindingKind = TokenKind | 'user' | 'team';

/** When a declared grant ends (`expires`). */
export interface DesiredExpiry {
  /** The value as written: `2026-12-31` or an RFC 3339 date-time with an offset. */
  text: string;
  /** Milliseconds since the epoch: the first instant the grant no longer holds (a date: 00:00Z of the next day). */
  endsAt: number;
  /** Where the value stands. */
  at: SourceLocation;
}

export interface DesiredBinding {
  /** The token (by name or ID), the user (`name`: the email exactly as written, or ID) or the team (name or ID). */
  subject: Reference;
  role: string;
  roleAt: SourceLocation;
  /** The list entry itself (the `- token:` / `- user:` / `- team:` line). */
  at: SourceLocation;
  /** Absent: the grant does not expire. */
  expires?: DesiredExpiry;
}

export interface DesiredDeployment {
  workspace: Reference;
  deployment: Reference;
  /** Effective prune: the deployment's, else its workspace's, else the file's, else true. */
  prune: boolean;
  /** Undefined: that kind is not managed on this deployment. [] : managed and empty. */
  workspaceTokens?: DesiredBinding[];
  organizationTokens?: DesiredBinding[];
  users?: DesiredBinding[];
  teams?: DesiredBinding[];
  at: SourceLocation;
}

export interface Desired {
  organizationId: string;
  /** Globs on token names, user emails (case-insensitively) and team names, or IDs: these bindings are never changed. */
  ignore: string[];
  /** The same kind of globs or IDs: these tokens, users and teams may never lose a binding. */
  protect: string[];
  deployments: DesiredDeployment[];
  files: string[];
  /** SHA-256 (hex) of the normalized manifest content, independent of formatting and file order. */
  digest: string;
}

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  message: string;
  /** For syntax errors, the source line to show with a caret (the CLI prints it under the message). */
  excerpt?: Excerpt;
}

export interface Excerpt {
  /** 1-based; the diagnostic's own line, or the last non-blank line before it when that one is blank (end of file). */
  line: number;
  col: number;
  text: string;
}

/** Changesets-style result: validation never throws for problems in the user's file. */
export interface LoadResult {
  desired?: Desired;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** Errors found in all: more than `errors` holds when a file's cap left some out ("… N more problems"). */
  errorCount: number;
}
