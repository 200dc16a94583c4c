import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { connect, planLive, type Connection, type Session } from '../session/session.ts';
import { ManifestError, formatDiagnostic } from '../errors.ts';
import { loadManifestFiles } from '../manifest/load.ts';
import type { Desired, Diagnostic } from '../manifest/types.ts';
import type { Actual } from '../astro/actual.ts';
import { checkGuards, type GuardResult } from '../plan/guards.ts';
import { tokenIdFromJwt } from '../astro/jwt.ts';
import type { Plan } from '../plan/types.ts';
import { renderJson } from '../render/json.ts';
import { renderMarkdown, type ActionLabel } from '../render/markdown.ts';
import { toAnnotations, type ActionContext, type ActionIo } from './action-context.ts';
import type { ActionInputs } from './inputs.ts';
import { logText } from './log-text.ts';
import { expandManifestPatterns } from './manifest-glob.ts';
import { writeOutputFile } from '../render/output.ts';

// The steps every event shares: find and load the manifests, plan against the live API once,
// and publish the plan (file, outputs, job summary). Planning is session/ (the CLI plans through it too).

const PLAN_FILE_NAME = 'astro-access-plan.json';
/** GitHub caps a job summary at 1 MiB; keep clear of it. */
const SUMMARY_MAX_CHARS = 900_000;

export interface LoadedManifests {
  files: string[];
  desired: Desired | null;
  errors: Diagnostic[];
}

/** Expands the patterns under the workspace and loads the files. */
export async function loadManifests(io: ActionIo, inputs: ActionInputs): Promise<LoadedManifests> {
  const { files, problems } = await expandManifestPatterns(io.workspace, inputs.manifests);
  const errors: Diagnostic[] = problems.map((message) => ({ file: files[0] ?? inputs.manifests[0] ?? '', line: 1, col: 1, message }));
  if (files.length === 0) return { files, desired: null, errors };
  const result = await loadManifestFiles(files, io.workspace);
  for (const w of result.warnings) io.warning(logText(formatDiagnostic(w)));
  errors.push(...result.errors);
  return { files, desired: errors.length === 0 ? (result.desired ?? null) : null, errors };
}

export function annotateErrors(io: ActionIo, diags: readonly Diagnostic[]): void {
  for (const a of toAnnotations(diags)) io.annotate(a);
}

/**
 * The shared steps' Session for the Action: the Astro token and URL from the inputs, notes to the log
 * (each line behind the CLI's sink, then commandSafe, as io.info does for every line).
 */
export function actionSession(inputs: ActionInputs, io: ActionIo): Session {
  return {
    env: io.env,
    client: { token: inputs.astroApiToken, ...(inputs.astroApiUrl !== '' ? { baseUrl: inputs.astroApiUrl } : {}) },
    note: (line) => io.info(line),
    dir: io.workspace,
  };
}

export type LivePlan =
  | { ok: true; plan: Plan; actual: Actual; conn: Connection }
  | { ok: false; errors: Diagnostic[] };

/** One read of the live state, one plan. Name-resolution errors come back as diagnostics. */
export async function planAgainstLive(inputs: ActionInputs, io: ActionIo, desired: Desired): Promise<LivePlan> {
  const session = actionSession(inputs, io);
  const conn = connect(session, desired.organizationId);
  try {
    const { plan, actual } = await planLive(session, desired, conn.reader);
    return { ok: true, plan, actual, conn };
  } catch (err) {
    await conn.close();
    if (err instanceof ManifestError) return { ok: false, errors: err.diagnostics };
    throw err;
  }
}

export interface PlannedRun {
  files: string[];
  plan: Plan;
  conn: Connection;
}

/**
 * Load the manifests and plan them against the live API, for the steps that need a plan. On any
 * problem (an invalid manifest, no Astro token, names the organization does not have) the errors
 * are annotated, the step fails with a message ending in `consequence`, and the result is null.
 */
export async function loadAndPlan(ctx: ActionContext, purpose: string, consequence = ''): Promise<PlannedRun | null> {
  const { io, inputs } = ctx;
  const loaded = await loadManifests(io, inputs);
  if (loaded.desired === null) {
    annotateErrors(io, loaded.errors);
    io.fail(`The manifest is invalid (${loaded.errors.length} error(s))${consequence}.`);
    return null;
  }
  if (inputs.astroApiToken === '') {
    io.fail(`astro-api-token is required ${purpose}${consequence}.`);
    return null;
  }
  const live = await planAgainstLive(inputs, io, loaded.desired);
  if (!live.ok) {
    annotateErrors(io, live.errors);
    io.fail(`The manifest does not match the organization (${live.errors.length} error(s))${consequence}.`);
    return null;
  }
  return { files: loaded.files, plan: live.plan, conn: live.conn };
}

export function guardsFor(plan: Plan, inputs: ActionInputs): GuardResult & { selfWarning?: string } {
  const self = tokenIdFromJwt(inputs.astroApiToken);
  const result = checkGuards(plan, { maxRemovals: inputs.maxRemovals, selfTokenId: self.id, allowUnsafe: inputs.allowUnsafe });
  return self.warning === undefined ? result : { ...result, selfWarning: self.warning };
}

/** Writes the plan file and sets the outputs; the plan itself goes to a file (outputs are capped at 1 MB). */
export async function publishPlan(io: ActionIo, plan: Plan): Promise<void> {
  const dir = io.env['RUNNER_TEMP'] || tmpdir();
  const file = join(dir, PLAN_FILE_NAME);
  await writeOutputFile(io.env, file, { text: renderJson(plan) });
  io.setOutput('has-changes', String(plan.actions.length > 0));
  io.setOutput('checksum', plan.checksum);
  io.setOutput('add', String(plan.summary.add));
  io.setOutput('update', String(plan.summary.update));
  io.setOutput('remove', String(plan.summary.remove));
  io.setOutput('plan-file', file);
}

export function summaryMarkdown(plan: Plan, heading: string, labels?: Map<string, ActionLabel>): string {
  return renderMarkdown(plan, {
    heading,
    maxChars: SUMMARY_MAX_CHARS,
    ...(labels === undefined ? {} : { labels }),
  });
}
