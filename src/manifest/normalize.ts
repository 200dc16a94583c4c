import type { Desired, DesiredBinding, DesiredDeployment, DesiredExpiry, Reference, SourceLocation } from './types.ts';
import type { PathSegment, Positions } from './locate.ts';
import type { RawBinding, RawManifest } from './raw.ts';
import { BINDING_KINDS } from './raw.ts';
import { parseExpiry } from './expiry.ts';
import { append } from './append.ts';
import { manifestDigest } from './digest.ts';

// Validated files → Desired. Pure: plain data in, plain data out. Each file is normalized as soon as it is
// loaded (normalizeFile), so its YAML document can go before the next file is read; combine joins them.

export interface ValidFile {
  file: string;
  data: RawManifest;
  locator: Positions;
}

/** One file's part of the Desired: plain data with positions, nothing of its YAML document. */
export interface NormalizedFile {
  file: string;
  organizationId: string;
  ignore: readonly string[];
  protect: readonly string[];
  deployments: DesiredDeployment[];
}

/** Expects a schema-valid file. */
export function normalizeFile({ file, data, locator }: ValidFile): NormalizedFile {
  const deployments: DesiredDeployment[] = [];
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
      for (const { listKey, nameKey } of BINDING_KINDS) {
        const list = dep[listKey];
        if (list === undefined) continue;
        desired[listKey] = list.map((b, t) => binding(b, nameKey, [...path, listKey, t], locator));
      }
      deployments.push(desired);
    });
  });
  return { file, organizationId: data.organizationId, ignore: data.ignore ?? [], protect: data.protect ?? [], deployments };
}

/** Expects at least one file, with no semantic errors across them. */
export function combine(files: readonly NormalizedFile[]): Desired {
  const first = files[0];
  if (first === undefined) throw new Error('combine needs at least one manifest file');
  const ignore: string[] = [];
  const protect: string[] = [];
  const deployments: DesiredDeployment[] = [];
  for (const f of files) {
    append(ignore, f.ignore);
    append(protect, f.protect);
    append(deployments, f.deployments);
  }
  const content = {
    organizationId: first.organizationId,
    ignore: [...new Set(ignore)],
    protect: [...new Set(protect)],
    deployments,
  };
  return { ...content, files: files.map((f) => f.file), digest: manifestDigest(content) };
}

function binding(raw: RawBinding, nameKey: string, path: PathSegment[], locator: Positions): DesiredBinding {
  const out: DesiredBinding = {
    subject: reference(raw, nameKey, path, locator),
    role: raw.role,
    roleAt: locator.value([...path, 'role']),
    at: locator.entry(path),
  };
  if (raw.expires !== undefined) out.expires = expiry(raw.expires, locator.value([...path, 'expires']));
  return out;
}

/** Expects a value the checks passed. */
function expiry(text: string, at: SourceLocation): DesiredExpiry {
  const parsed = parseExpiry(text);
  if ('problem' in parsed) throw new Error(`normalize got an unchecked "expires": ${parsed.problem}`);
  return { text, endsAt: parsed.endsAt, at };
}

/** `{name}` or `{name}Id` of a schema-valid entry (exactly one is present). */
function reference(entry: object, name: string, path: PathSegment[], locator: Positions): Reference {
  const fields = entry as Record<string, unknown>;
  const byName = fields[name];
  if (typeof byName === 'string') return { name: byName, at: locator.value([...path, name]) };
  return { id: String(fields[`${name}Id`]), at: locator.value([...path, `${name}Id`]) };
}
