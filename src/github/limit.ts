// GitHub refuses comment and issue bodies over 65,536 characters (422 "body is too long").
// JavaScript's length counts UTF-16 units, never fewer than GitHub's characters: a safe measure.

export const GITHUB_BODY_LIMIT = 65_536;

export const TRUNCATION_NOTE =
  '\n\n> [!NOTE]\n> Truncated to fit GitHub’s 65,536-character limit: the full plan is in the job summary.\n';

/**
 * Cuts `body` to at most `limit` characters at a line boundary, closes a code fence or
 * `<details>` left open by the cut, and says it was truncated. Bodies within the limit are returned as is.
 */
export function capBody(body: string, limit: number = GITHUB_BODY_LIMIT): string {
  if (body.length <= limit) return body;
  const room = limit - TRUNCATION_NOTE.length - 64; // 64: closers for what the cut leaves open
  let cut = body.slice(0, Math.max(0, room));
  const nl = cut.lastIndexOf('\n');
  if (nl > room / 2) cut = cut.slice(0, nl);
  // Never leave half of a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  let closers = '';
  if (((cut.match(/^\s*```/gm) ?? []).length) % 2 === 1) closers += '\n```';
  const open = (cut.match(/<details\b/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
  closers += '\n</details>'.repeat(Math.max(0, Math.min(open, 4)));
  return cut + closers + TRUNCATION_NOTE;
}
