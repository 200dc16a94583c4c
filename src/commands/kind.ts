import { UsageError } from '../errors.ts';
import { didYouMean } from '../util/closest.ts';
import { quote } from '../util/sanitize.ts';

// `--kind` of list and export: which subjects a command reads and shows or writes.

export const KINDS = ['tokens', 'users', 'teams', 'all'] as const;
export type Kind = (typeof KINDS)[number];

/** The subject kinds `all` stands for, in the order they are shown and written. */
export type SubjectKind = Exclude<Kind, 'all'>;
export const SUBJECT_KINDS: readonly SubjectKind[] = ['tokens', 'users', 'teams'];

/** The --kind value, refused with the choices (and the nearest one) when it is not one of them. */
export function parseKind(value: string): Kind {
  if ((KINDS as readonly string[]).includes(value)) return value as Kind;
  throw new UsageError(`--kind must be one of ${KINDS.join(', ')}, got ${quote(value)}${didYouMean(value, KINDS)}`);
}

/** The subject kinds a --kind value covers. */
export function kindsOf(kind: Kind): SubjectKind[] {
  return kind === 'all' ? [...SUBJECT_KINDS] : [kind];
}
