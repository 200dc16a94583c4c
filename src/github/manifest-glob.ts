import { lstat, readdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';

// The `manifest` input: paths or globs (`*`, `?`, `**`) relative to the workspace. Node 20 has no
// fs.glob, and the Action must run on it in tests, so this is a small matcher of our own.

const SKIP_DIRS = new Set(['.git', 'node_modules']);

/** Splits the input on newlines and commas; blank entries and `#` comments are dropped. */
export function parsePatterns(input: string): string[] {
  return input
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter((p) => p !== '' && !p.startsWith('#'));
}

function segmentRegExp(seg: string): RegExp {
  let re = '';
  for (const ch of seg) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'u');
}

/** Whether a relative path (with `/`) matches a pattern; `**` spans any number of directories. */
export function matchGlob(pattern: string, path: string): boolean {
  const pats = pattern.split('/');
  const parts = path.split('/');
  const go = (i: number, j: number): boolean => {
    if (i === pats.length) return j === parts.length;
    const p = pats[i]!;
    if (p === '**') return go(i + 1, j) || (j < parts.length && go(i, j + 1));
    return j < parts.length && segmentRegExp(p).test(parts[j]!) && go(i + 1, j + 1);
  };
  return go(0, 0);
}

const hasMagic = (p: string): boolean => /[*?]/.test(p);

/** A path as the repository names it: `/` separators, no leading `./`, no doubled slashes. */
export function repoPath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+/g, '/');
}

/** Whether a repoPath() result points outside the repository (absolute, a drive letter, or `..`). */
export function leavesRepo(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.split('/').includes('..');
}

/** Whether `pattern` could match `dir` itself or a path below it. */
function mayMatchBelow(pattern: string, dir: string): boolean {
  const pats = pattern.split('/');
  const parts = dir.split('/');
  const go = (i: number, j: number): boolean => {
    if (j === parts.length) return true;
    if (i === pats.length) return false;
    const p = pats[i]!;
    if (p === '**') return go(i + 1, j) || go(i, j + 1);
    return segmentRegExp(p).test(parts[j]!) && go(i + 1, j + 1);
  };
  return go(0, 0);
}

interface Tree {
  files: string[];
  /** Symbolic links, never followed: a manifest must be a file of the repository itself. */
  links: string[];
}

async function walk(root: string, rel: string, out: Tree): Promise<void> {
  const entries = await readdir(join(root, rel), { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const path = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isSymbolicLink()) out.links.push(path);
    else if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) await walk(root, path, out);
    } else if (e.isFile()) out.files.push(path);
  }
}

const linkProblem = (path: string): string =>
  `${path} is a symbolic link: manifests must be regular files inside the repository; refused, and not read`;

/**
 * Why the file at `rel` under `root` may not be read as a manifest (a symbolic link on the way, or a
 * real path outside `root`), or null. The link's target is never read, nor named in the message.
 */
export async function outsideProblem(root: string, rel: string): Promise<string | null> {
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const sub = parts.slice(0, i).join('/');
    const st = await lstat(join(root, sub)).catch(() => null);
    if (st === null) return null; // missing: loading reports it at its own name
    if (st.isSymbolicLink()) return linkProblem(sub);
  }
  const [real, top] = await Promise.all([realpath(join(root, rel)), realpath(root)]);
  if (!real.startsWith(top + sep)) return `${rel} resolves outside the workspace; refused, and not read`;
  return null;
}

export interface ExpandResult {
  /** Repository-relative paths, sorted, without duplicates. */
  files: string[];
  /** Problems with the patterns themselves (absolute, `..`, a glob matching nothing). */
  problems: string[];
}

/**
 * Expands the patterns under `root`. A plain path is kept even when the file is missing, so loading
 * reports it at its own name; a glob that matches nothing is a problem.
 */
export async function expandManifestPatterns(root: string, patterns: readonly string[]): Promise<ExpandResult> {
  const problems: string[] = [];
  const found = new Set<string>();
  let all: Tree | undefined;
  for (const raw of patterns) {
    const p = repoPath(raw);
    if (leavesRepo(p)) {
      problems.push(`manifest pattern ${JSON.stringify(raw)} must be relative to the repository root`);
      continue;
    }
    if (!hasMagic(p)) {
      const problem = await outsideProblem(root, p);
      if (problem === null) found.add(p);
      else problems.push(problem);
      continue;
    }
    if (all === undefined) {
      all = { files: [], links: [] };
      await walk(root, '', all);
    }
    const links = all.links.filter((l) => mayMatchBelow(p, l));
    problems.push(...links.map(linkProblem));
    const hits = all.files.filter((f) => matchGlob(p, f));
    if (hits.length === 0 && links.length === 0) problems.push(`manifest pattern ${JSON.stringify(raw)} matches no file`);
    for (const h of hits) found.add(h);
  }
  return { files: [...found].sort(), problems };
}
