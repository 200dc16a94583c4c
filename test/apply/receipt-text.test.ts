import { describe, expect, it } from 'vitest';
import { receiptStatus, type Receipt, type SubjectReceipt } from '../../src/apply/receipt.ts';
import { renderReceiptText } from '../../src/apply/receipt-text.ts';
import { action, cuid, token } from '../render/builders.ts';

// The receipt as a terminal shows it: one line per subject naming its type, then a summary counting
// tokens, users or teams (or subjects, when the plan mixes them).

function entry(subject: SubjectReceipt['subject'], status: SubjectReceipt['status'], error?: string): SubjectReceipt {
  return { subject, status, actions: [action('add', { subject })], before: null, after: null, requestIds: [], ...(error ? { error } : {}) } as SubjectReceipt;
}

function receipt(subjects: SubjectReceipt[]): Receipt {
  const count = (s: SubjectReceipt['status']) => subjects.filter((r) => r.status === s).length;
  return {
    formatVersion: 2, organizationId: 'corg', checksum: 'sha256:x', status: receiptStatus(subjects),
    summary: { subjects: subjects.length, applied: count('applied'), alreadyApplied: count('already-applied'), conflicts: count('conflict'), failed: count('failed'), interrupted: count('interrupted'), notStarted: count('not-started') },
    overriddenGuards: [], subjects,
  };
}

const ada = { type: 'user' as const, id: cuid(1, 'u'), name: 'ada@example.com' };
const eng = { type: 'team' as const, id: cuid(2, 't'), name: 'data\x1b[2Jeng' };
const bot = token({ id: cuid(3) }) as SubjectReceipt['subject'] & { type: 'token' };

describe('renderReceiptText', () => {
  it('names each subject’s type, escapes API text, counts subjects when kinds are mixed, and names the conflicts’ kind', () => {
    const text = renderReceiptText(receipt([entry(bot, 'applied'), entry(ada, 'failed', 'its organizationRole reads as null'), entry(eng, 'conflict', 'changed')]));
    expect(text.split('\n')).toEqual([
      `applied  token ci-deployer      ${bot.id}: 1 change`,
      `failed   user  ada@example.com  ${ada.id}: its organizationRole reads as null`,
      `conflict team  data\\x1b[2Jeng   ${eng.id}: changed`,
      'Apply PARTIAL: 1 of 3 subjects updated, 1 conflicts, 1 failed.',
      "The plan is stale: 1 team changed since it was made. Run 'astro-access plan' again and apply the new plan.",
      '',
    ]);
  });

  it('a plan of one kind counts in that kind', () => {
    expect(renderReceiptText(receipt([entry(ada, 'applied'), entry({ ...ada, id: cuid(4, 'u') }, 'applied')]))).toContain('Apply complete: 2 of 2 users updated.');
    expect(renderReceiptText(receipt([entry(bot, 'applied')]))).toContain('Apply complete: 1 of 1 tokens updated.');
  });
});
