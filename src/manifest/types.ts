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

export interface DesiredBinding {
  token: Reference;
  role: string;
  roleAt: SourceLocation;
  /** The list entry itself (the `- token:` line). */
  at: SourceLocation;
}

export interface DesiredDeployment {
  workspace: Reference;
  deployment: Reference;
  /** Effective prune: the deployment's, else its workspace's, else the file's, else true. */
  prune: boolean;
  /** Undefined: that token kind is not managed on this deployment. [] : managed and empty. */
  workspaceTokens?: DesiredBinding[];
  organizationTokens?: DesiredBinding[];
  at: SourceLocation;
}

export interface Desired {
  organizationId: string;
  /** Globs on token name, or token IDs: bindings of these tokens are never changed. */
  ignore: string[];
  /** Globs on token name, or token IDs: these tokens may never lose a binding. */
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
