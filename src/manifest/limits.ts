// Resource limits for manifest files: generous for real manifests, small enough to stop hostile input early.

/** Files above this size are rejected without being parsed. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** A real manifest nests about 8 levels; anything far deeper is rejected before composing (no stack overflow). */
export const MAX_DEPTH = 64;
/** Passed to the yaml package: caps alias expansion ("billion laughs"). */
export const MAX_ALIAS_COUNT = 100;
/** At most this many control-character diagnostics per file. */
export const MAX_CONTROL_CHAR_REPORTS = 10;
/** At most this many errors (and as many warnings) per file, then one line saying how many more there are. */
export const MAX_DIAGNOSTICS_PER_FILE = 50;
