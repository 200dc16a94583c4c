import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { writeOutputFile } from '../render/output.ts';
import { startApply } from '../apply/executor.ts';
import { renderReceiptText } from '../apply/receipt-text.ts';
import { checkSavedPlan } from '../apply/saved-plan.ts';
import { GuardError, UsageError } from '../errors.ts';
import { checkGuards } from '../plan/guards.ts';
import { progress } from './progress.ts';
import { tokenIdFromJwt } from '../astro/jwt.ts';
import type { Plan } from '../plan/types.ts';
import { parseCommandArgs, parseCount } from './args.ts';
import { connect, DEFAULT_MANIFEST, loadDesired, planLive, type Connection } from '../session/session.ts';
import { say, type Io, RATE_LIMIT_HELP, RATE_LIMIT_OPTION, sessionOf } from './io.ts';
import { readJsonFile } from './read-json-file.ts';
import { defaultReceiptPath, trapInterrupts } from './interrupt.ts';
import { checkOutputPath } from './output-paths.ts';
import { renderPlan } from './plan.ts';

export const spec = {
  name: 'apply',
  usage: `Usage: astro-access apply [-f FILE]... [--auto-approve] [PLAN.json]

Make the live Astro roles match the manifest. The plan is always shown first and checked by the safety
guards; then each affected token, user or team is re-read, compared with the plan, and written once
with its whole role set. Role entries the plan does not own are sent back exactly as read.

With PLAN.json (from 'astro-access plan --out'), carry out exactly that saved plan: subjects whose live
roles changed since it was made are refused as conflicts, and nothing else is touched.

Options:
  -f, --file FILE        manifest file (repeatable; default astro-access.yaml; not with PLAN.json)
      --auto-approve     do not ask for confirmation (required without a terminal)
      --receipt FILE     write the receipt (per subject: before, after, status, request IDs) as JSON;
                         checked before the first request, never one of the input files
      --max-removals N   refuse plans removing more than N bindings in all (default 50)
      --allow-unsafe     override the safety guards (recorded in the receipt)
      --parallelism N    subjects written at once (default 4; one is never written twice at once)
      --debug            print each API request (the token is never printed) to stderr
${RATE_LIMIT_HELP}
  -h, --help             show this help

Ctrl-C (SIGINT) or SIGTERM: no new subject is started, writes in flight finish, the receipt is written
(to --receipt, else under .astro-access/receipts/) and apply exits 130. A second signal stops at once.

Exit codes: 0 applied (or nothing to do), 1 error or partial apply, 3 refused by a safety guard,
130 interrupted.

Examples:
  astro-access apply                            # plan, ask for "yes", write
  astro-access apply plan.json                  # exactly the plan saved by 'plan --out plan.json'
  astro-access apply -f astro-access.yaml --auto-approve --receipt receipt.json`,
  options: {
    file: { type: 'string', short: 'f', multiple: true },
    'auto-approve': { type: 'boolean' },
    receipt: { type: 'string' },
    'max-removals': { type: 'string' },
    'allow-unsafe': { type: 'boolean' },
    parallelism: { type: 'string' },
    debug: { type: 'boolean' },
    ...RATE_LIMIT_OPTION,
    help: { type: 'boolean', short: 'h' },
  },
  allowPositionals: true,
} as const;

async function confirm(io: Io): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    const answer = await rl.question(
      '\nDo you want to apply these changes? Only "yes" will be accepted to approve.\n  Enter a value: ',
    );
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

/** A manifest given where a saved plan belongs is the likeliest slip: say how to apply a manifest. */
const TO_APPLY_A_MANIFEST = (path: string): string => `To apply a manifest: astro-access apply -f ${path}`;

async function savedPlan(path: string): Promise<Plan> {
  if (/\.ya?ml$/i.test(path)) throw new UsageError(`${path} looks like a manifest, not a saved plan. ${TO_APPLY_A_MANIFEST(path)}`);
  let value: unknown;
  try {
    value = await readJsonFile(path);
  } catch (err) {
    if (err instanceof UsageError && / is not a JSON file /.test(err.message)) {
      throw new UsageError(`${err.message}: a saved plan is the JSON of 'astro-access plan --out'. ${TO_APPLY_A_MANIFEST(path)}`);
    }
    throw err;
  }
  const { plan, problems } = checkSavedPlan(value);
  if (!plan) throw new UsageError(`${path} is not a usable plan: ${problems.join('; ')}`);
  return plan;
}

export async function applyCommand(io: Io, argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(spec, argv);
  if (values.help) {
    io.stdout.write(spec.usage + '\n');
    return 0;
  }
  if (positionals.length > 1) throw new UsageError('apply takes at most one PLAN.json');
  const planFile = positionals[0];
  if (planFile && values.file) throw new UsageError('give either a saved PLAN.json or -f manifests, not both');
  const maxRemovals = parseCount(values['max-removals'], '--max-removals', 50);
  const parallelism = parseCount(values.parallelism, '--parallelism', 4, 1);

  // Everything that can fail offline fails before the first request: the receipt path too.
  let plan: Plan | undefined = planFile ? await savedPlan(planFile) : undefined;
  const desired = plan ? undefined : await loadDesired(sessionOf(io), values.file ?? []);
  if (values.receipt) await checkOutputPath(values.receipt, '--receipt', planFile ? [planFile] : (values.file ?? [DEFAULT_MANIFEST]));
  const conn: Connection = connect(sessionOf(io), plan?.organizationId ?? desired!.organizationId, { debug: values.debug ?? false, rateLimit: values['rate-limit'] });
  try {
    if (!plan) plan = (await planLive(sessionOf(io), desired!, conn.reader)).plan;
    io.stdout.write(renderPlan(io, plan, 'text'));

    const self = tokenIdFromJwt(conn.token);
    if (self.warning) say(io, `warning: ${self.warning}`);
    const guards = checkGuards(plan, { maxRemovals, selfTokenId: self.id, allowUnsafe: values['allow-unsafe'] ?? false });
    if (guards.violations.length > 0) throw new GuardError(guards.violations);
    for (const g of guards.overridden) say(io, `warning: guard overridden by --allow-unsafe: ${g}`);

    if (plan.actions.length > 0 && !values['auto-approve']) {
      if (!io.stdin.isTTY) {
        throw new UsageError('refusing to apply without confirmation: no terminal to ask on. Pass --auto-approve.');
      }
      if (!(await confirm(io))) {
        say(io, 'Apply cancelled.');
        return 1;
      }
    }
    const interrupt = trapInterrupts((signal) =>
      say(io, `\n${signal}: starting no new subject; waiting for the writes in flight (send it again to stop at once)`),
    );
    // Plain progress lines are for long runs (the receipt below says the same for every subject); a terminal
    // gets one line updated in place, cleared before the receipt.
    const long = Object.keys(plan.tokens).length + Object.keys(plan.users).length + Object.keys(plan.teams).length > 10;
    const shown = progress(io.stderr, io.env, long ? (line) => say(io, line) : undefined);
    try {
      const run = startApply(plan, conn.writer, {
        concurrency: parallelism,
        overriddenGuards: guards.overridden,
        stop: interrupt.stop,
        onProgress: (line, event) => shown.onProgress(line, event),
      });
      const outcome = await Promise.race([run.done, interrupt.forced]).finally(() => shown.finish());
      const receipt = outcome === 'forced' ? run.snapshot() : outcome;
      // A signal that came when every subject had already started still ends the run as interrupted.
      if (interrupt.stop.aborted) receipt.status = 'interrupted';
      io.stdout.write(renderReceiptText(receipt));
      const receiptPath = values.receipt ?? (receipt.status === 'interrupted' ? defaultReceiptPath() : undefined);
      if (receiptPath) {
        await mkdir(dirname(resolve(receiptPath)), { recursive: true });
        await writeOutputFile(io.env, receiptPath, { json: receipt });
        if (!values.receipt) say(io, `Receipt written to ${receiptPath}`);
      }
      // Stopping at once: requests still in flight must not keep the process alive.
      if (outcome === 'forced') process.exit(130);
      return receipt.status === 'interrupted' ? 130 : receipt.status === 'partial' ? 1 : 0;
    } finally {
      interrupt.uninstall();
    }
  } finally {
    await conn.close();
  }
}
