import { resolve } from 'node:path';
import type { Diagnostic, LoadResult } from './types.ts';
import type { RawManifest } from './raw.ts';
import type { NormalizedFile } from './normalize.ts';
import { decodeSource } from './decode.ts';
import { parseYaml } from './parse-yaml.ts';
import type { ParseYamlResult } from './parse-yaml.ts';
import { readSimpleYaml } from './simple-yaml.ts';
import { validateSchema } from './schema-validate.ts';
import { SemanticChecks } from './semantic-checks.ts';
import { combine, normalizeFile } from './normalize.ts';
import { append } from './append.ts';
import { sortDiagnostics } from './sort-diagnostics.ts';
import { MAX_DIAGNOSTICS_PER_FILE, MAX_FILE_BYTES } from './limits.ts';
import { FileTooLargeError, readCapped } from '../util/read-capped.ts';

// Manifest files → Desired, or every problem found in them. Never throws for problems in the files.
// One file at a time: each is parsed, checked and normalized before the next is read, and only plain
// data with positions is kept (a large file's YAML document weighs far more than what it means).

export interface ManifestSource {
  file: string;
  text: string | Uint8Array;
}

/** Pure: no file system (the GitHub Action passes text it fetched through the API). */
export function loadManifestSources(sources: ManifestSource[]): LoadResult {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  if (sources.length === 0) {
    return { errors: [{ file: '(none)', line: 1, col: 1, message: 'no manifest files given' }], warnings, errorCount: 1 };
  }
  const semantics = new SemanticChecks();
  const normalized: NormalizedFile[] = [];
  for (const { file, text } of sources) {
    const decoded = decodeSource(file, text);
    if (!decoded.ok) {
      append(errors, decoded.errors);
      continue;
    }
    const read = readManifest(file, decoded.text);
    append(errors, read.errors);
    append(warnings, read.warnings);
    if (!read.parsed) continue;
    const { data, locator } = read.parsed;
    append(errors, read.schemaErrors);
    const semantic = semantics.check(data, locator);
    append(errors, semantic.errors);
    append(warnings, semantic.warnings);
    // Once anything is wrong there will be no Desired: normalizing further files would be wasted.
    if (errors.length === 0) normalized.push(normalizeFile({ file, data: data as unknown as RawManifest, locator }));
  }
  const order = new Map(sources.map((s, i) => [s.file, i] as const));
  const result: LoadResult = {
    errors: capPerFile(sortDiagnostics(errors, order), 'problems'),
    warnings: capPerFile(sortDiagnostics(warnings, order), 'warnings'),
    errorCount: errors.length,
  };
  if (errors.length === 0) result.desired = combine(normalized);
  return result;
}

/**
 * One file's data and positions, with its YAML and schema problems. Plain manifests go through the fast
 * reader; anything it does not read, and any file the schema rejects, through the yaml package, so every
 * YAML and schema diagnostic comes from there.
 */
function readManifest(file: string, text: string): ParseYamlResult & { schemaErrors: Diagnostic[] } {
  const simple = readSimpleYaml(file, text);
  if (simple !== undefined && validateSchema(simple.data, simple.positions).length === 0) {
    return { parsed: { data: simple.data, locator: simple.positions }, errors: [], warnings: [], schemaErrors: [] };
  }
  const parsed = parseYaml(file, text);
  return { ...parsed, schemaErrors: parsed.parsed ? validateSchema(parsed.parsed.data, parsed.parsed.locator) : [] };
}

/**
 * Reads the files, then loads them; an unreadable file is a diagnostic like any other. Relative paths
 * are read under `dir` (default: the process's cwd) and keep their own names in diagnostics.
 */
export async function loadManifestFiles(paths: string[], dir?: string): Promise<LoadResult> {
  const sources: ManifestSource[] = [];
  const readErrors: Diagnostic[] = [];
  for (const file of paths) {
    try {
      sources.push({ file, text: await readCapped(dir === undefined ? file : resolve(dir, file), MAX_FILE_BYTES) });
    } catch (e) {
      const message = e instanceof FileTooLargeError
        ? `file is too large (more than ${e.maxBytes} bytes, the limit)`
        : `cannot read file: ${readProblem(e)}`;
      readErrors.push({ file, line: 1, col: 1, message });
    }
  }
  if (readErrors.length === 0) return loadManifestSources(sources);
  const rest: LoadResult = sources.length > 0 ? loadManifestSources(sources) : { errors: [], warnings: [], errorCount: 0 };
  const order = new Map(paths.map((p, i) => [p, i] as const));
  return {
    errors: sortDiagnostics([...readErrors, ...rest.errors], order),
    warnings: rest.warnings,
    errorCount: readErrors.length + rest.errorCount,
  };
}

function readProblem(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return typeof code === 'string' ? code : 'unknown error';
}

/**
 * Keeps the first MAX_DIAGNOSTICS_PER_FILE of each file's (sorted) diagnostics, then one saying how many
 * more there are, placed at the first one not shown: thousands of lines would bury the first problems.
 */
function capPerFile(sorted: readonly Diagnostic[], noun: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const flush = (hidden: Diagnostic[]) => {
    const at = hidden[0];
    if (at !== undefined) {
      out.push({ file: at.file, line: at.line, col: at.col, message: `… ${hidden.length} more ${noun} in this file not shown` });
    }
  };
  let file: string | undefined;
  let shown = 0;
  let hidden: Diagnostic[] = [];
  for (const d of sorted) {
    if (d.file !== file) {
      flush(hidden);
      file = d.file;
      shown = 0;
      hidden = [];
    }
    if (shown < MAX_DIAGNOSTICS_PER_FILE) {
      // A plain copy: some messages are worked out on first read (see schema-validate.ts).
      out.push({ file: d.file, line: d.line, col: d.col, message: d.message, ...(d.excerpt !== undefined ? { excerpt: d.excerpt } : {}) });
      shown++;
    } else {
      hidden.push(d);
    }
  }
  flush(hidden);
  return out;
}
