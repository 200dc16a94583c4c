import { access } from 'node:fs/promises';
import { UsageError } from '../errors.ts';
import { DEFAULT_MANIFEST, loadDesired } from '../session/session.ts';
import { type Io, sessionOf } from './io.ts';

/**
 * The organization `list` and `export` work on: --organization-id, else ASTRO_ORGANIZATION_ID, else the
 * manifest's organizationId (the files given, else astro-access.yaml when it exists).
 */
export async function organizationIdFrom(io: Io, flag: string | undefined, files: readonly string[] = []): Promise<string> {
  const id = flag ?? io.env.ASTRO_ORGANIZATION_ID?.trim();
  if (id) return id;
  if (files.length === 0 && !(await exists(DEFAULT_MANIFEST))) {
    throw new UsageError(
      `no organization: give --organization-id, set ASTRO_ORGANIZATION_ID, or run where ${DEFAULT_MANIFEST} is (or give -f FILE)`,
    );
  }
  return (await loadDesired(sessionOf(io), [...files])).organizationId;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
