import { capMarkdown } from '../render/markdown-doc.ts';

// GitHub refuses comment and issue bodies over 65,536 characters (422 "body is too long").
// JavaScript's length counts UTF-16 units, never fewer than GitHub's characters: a safe measure.

export const GITHUB_BODY_LIMIT = 65_536;

const TRUNCATION_NOTE = '> [!NOTE]\n> Truncated to fit GitHub’s 65,536-character limit: the full plan is in the job summary.';

/** `body` cut to at most `limit` characters by the markdown truncator, saying it was truncated. */
export function capBody(body: string, limit: number = GITHUB_BODY_LIMIT): string {
  return capMarkdown(body, limit, TRUNCATION_NOTE);
}
