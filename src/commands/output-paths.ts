import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';

/**
 * Checks, before the first request, that `out` can be written and is none of the input files: an
 * unwritable receipt path must not be discovered after every write was made, and `--out`/`--receipt`
 * must never overwrite the manifest or plan they were made from.
 */
export async function checkOutputPath(out: string, option: string, inputs: readonly string[]): Promise<void> {
  const target = await canonical(out);
  for (const input of inputs) {
    if ((await canonical(input)) === target) {
      throw new UsageError(`${option} ${out} is an input file of this command; refusing to overwrite it`);
    }
  }
  const existing = await stat(out).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`${option} ${out} is a directory`);
  const where = existing ? out : dirname(resolve(out));
  try {
    await access(where, constants.W_OK);
  } catch {
    throw new UsageError(`${option} ${out} cannot be written (${existing ? 'the file is not writable' : `no writable directory ${where}`}); nothing was sent`);
  }
}

/** The path with symlinks resolved where it exists, so a link to a manifest counts as the manifest. */
async function canonical(path: string): Promise<string> {
  const full = resolve(path);
  return realpath(full).catch(() => realpath(dirname(full)).then((dir) => join(dir, basename(full)), () => full));
}
