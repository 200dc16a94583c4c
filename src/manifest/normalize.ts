import type { Desired, DesiredBinding, DesiredDeployment, Reference } from './types.ts';
import type { Locator, PathSegment } from './locate.ts';
import type { RawBinding, RawManifest } from './raw.ts';
import { TOKEN_LISTS } from './raw.ts';
import { append } from './append.ts';
import { manifestDigest } from './digest.ts';

// Validated files → Desired. Pure: plain data in, plain data out.

export interface ValidFile {
  file: string;
  data: RawManifest;
  locator: Locator;
}

/** Expects at least one file, each schema-valid, with no semantic errors across them. */
export function normalize(files: readonly ValidFile[]): Desired {
  const first = files[0];
  if (first === undefined) throw new Error('normalize needs at least one manifest file');
  const ignore: string[] = [];
  const protect: string[] = [];
  const deployments: DesiredDeployment[] = [];
  for (const { data, locator } of files) {
    append(ignore, data.ignore ?? []);
    append(protect, data.protect ?? []);
    data.workspaces.forEach((ws, w) => {
      const wsPath: PathSegment[] = ['workspaces', w];
      const workspace = reference(ws, 'workspace', wsPath, locator);
      ws.deployments.forEach((dep, d) => {
        const path: PathSegment[] = [...wsPath, 'deployments', d];
        const desired: DesiredDeployment = {
          workspace,
          deployment: reference(dep, 'deployment', path, locator),
          prune: dep.prune ?? ws.prune ?? data.prune ?? true,
          at: locator.entry(path),
        };
        for (const [key, kind] of TOKEN_LISTS) {
          const list = dep[key];
          if (list === undefined) continue;
          const bindings = list.map((b, t) => binding(b, [...path, key, t], locator));
          if (kind === 'workspace') desired.workspaceTokens = bindings;
          else desired.organizationTokens = bindings;
        }
        deployments.push(desired);
      });
    });
  }
  const content = {
    organizationId: first.data.organizationId,
    ignore: [...new Set(ignore)],
    protect: [...new Set(protect)],
    deployments,
  };
  return { ...content, files: files.map((f) => f.file), digest: manifestDigest(content) };
}

function binding(raw: RawBinding, path: PathSegment[], locator: Locator): DesiredBinding {
  return {
    token: reference(raw, 'token', path, locator),
    role: raw.role,
    roleAt: locator.value([...path, 'role']),
    at: locator.entry(path),
  };
}

/** `{name}` or `{name}Id` of a schema-valid entry (exactly one is present). */
function reference(entry: object, name: string, path: PathSegment[], locator: Locator): Reference {
  const fields = entry as Record<string, unknown>;
  const byName = fields[name];
  if (typeof byName === 'string') return { name: byName, at: locator.value([...path, name]) };
  return { id: String(fields[`${name}Id`]), at: locator.value([...path, `${name}Id`]) };
}
