import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import schema from '../../schemas/plan.schema.json' with { type: 'json' };
import { planChecksum } from '../plan/checksum.ts';
import type { Plan } from '../plan/types.ts';
import { fingerprintsOf } from '../plan/fingerprint.ts';
import { isRecord } from '../util/is-record.ts';

let compiled: ValidateFunction | undefined;

function planValidator(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  return compiled;
}

/**
 * Check a plan read from a file before carrying it out: the plan's JSON Schema (IDs must be IDs, so
 * an edited `organizationId: ".."` never reaches a URL), a fingerprint for every subject it acts on, and
 * a checksum that still matches the whole document (an edited plan file is refused, not applied).
 */
export function checkSavedPlan(value: unknown): { plan?: Plan; problems: string[] } {
  const version = isRecord(value) ? value['formatVersion'] : undefined;
  if (typeof version === 'number' && version !== 2) {
    return { problems: [`it has formatVersion ${version}, and this astro-access reads formatVersion 2: make the plan again with this version`] };
  }
  const validate = planValidator();
  if (!validate(value)) {
    const problems = (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    return { problems };
  }
  const plan = value as Plan;
  const problems = plan.actions
    .filter((a) => fingerprintsOf(plan, a.subject.type)[a.subject.id] === undefined)
    .map((a) => `no fingerprint for ${a.subject.type} ${a.subject.id}`);
  if (problems.length === 0 && planChecksum(plan) !== plan.checksum) {
    problems.push('its checksum does not match its contents: the file was edited after it was planned');
  }
  return problems.length > 0 ? { problems } : { plan, problems };
}
