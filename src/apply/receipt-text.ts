import type { Receipt } from './receipt.ts';

/** The receipt for a terminal: one line per token, then a summary. */
export function renderReceiptText(receipt: Receipt): string {
  const lines: string[] = [];
  const width = Math.max(0, ...receipt.tokens.map((t) => t.tokenName.length));
  for (const t of receipt.tokens) {
    const ids = t.requestIds.length > 0 ? `  [request ${t.requestIds.join(', ')}]` : '';
    const detail = t.error ? `: ${t.error}` : `: ${t.actions.length} change${t.actions.length === 1 ? '' : 's'}`;
    if (t.status === 'not-started') continue; // counted in the last line
    lines.push(`${t.status.padEnd(8)} ${t.tokenName.padEnd(width)}  ${t.tokenId}${detail}${ids}`);
  }
  for (const g of receipt.overriddenGuards) lines.push(`overridden guard (--allow-unsafe): ${g}`);
  const s = receipt.summary;
  if (receipt.status === 'interrupted') {
    const unknown = s.interrupted > 0 ? `, ${s.interrupted} interrupted while being written (see the receipt)` : '';
    lines.push(`Interrupted: ${s.applied} applied, ${s.notStarted} not started${unknown}.`);
  } else if (receipt.status === 'nothing-to-do') lines.push('Apply complete: nothing to do.');
  else if (receipt.status === 'applied') lines.push(`Apply complete: ${s.applied} of ${s.tokens} tokens updated.`);
  else {
    lines.push(
      `Apply PARTIAL: ${s.applied} of ${s.tokens} tokens updated, ${s.conflicts} conflicts, ${s.failed} failed.`,
    );
  }
  return lines.join('\n') + '\n';
}
