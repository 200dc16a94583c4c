import { DEFAULT_MANIFEST } from '../session/session.ts';
import { InputError } from '../errors.ts';
import { parsePatterns } from './manifest-glob.ts';

// The Action's inputs (action.yml), read through a getter so tests need no environment.

export const COMMANDS = ['auto', 'validate', 'plan', 'apply', 'drift'] as const;
export type Command = (typeof COMMANDS)[number];

export interface ActionInputs {
  command: Command;
  manifests: string[];
  /** '' when the secret is absent (a fork, or not configured): validate only. */
  astroApiToken: string;
  astroApiUrl: string;
  githubToken: string;
  comment: boolean;
  maxRemovals: number;
  allowUnsafe: boolean;
  allowDirectPush: boolean;
  /** `command: apply` by workflow_dispatch applies only a plan with this checksum; '' when unset. */
  expectedChecksum: string;
}

function bool(name: string, value: string, dflt: boolean): boolean {
  const v = value.trim().toLowerCase();
  if (v === '') return dflt;
  if (['true', 'on', 'yes', '1'].includes(v)) return true;
  if (['false', 'off', 'no', '0'].includes(v)) return false;
  throw new InputError(`input ${name} must be true or false (on/off), got ${JSON.stringify(value)}`);
}

export function readInputs(get: (name: string) => string): ActionInputs {
  const command = (get('command').trim() || 'auto') as Command;
  if (!COMMANDS.includes(command)) {
    throw new InputError(`input command must be one of ${COMMANDS.join(', ')}, got ${JSON.stringify(command)}`);
  }
  const maxText = get('max-removals').trim() || '50';
  if (!/^\d+$/.test(maxText)) throw new InputError(`input max-removals must be a whole number, got ${JSON.stringify(maxText)}`);
  const manifests = parsePatterns(get('manifest'));
  const expectedChecksum = get('expected-checksum').trim();
  if (expectedChecksum !== '' && !/^sha256:[0-9a-f]{64}$/.test(expectedChecksum)) {
    throw new InputError('input expected-checksum must be sha256: followed by 64 hex digits, as a plan shows it');
  }
  return {
    command,
    manifests: manifests.length > 0 ? manifests : [DEFAULT_MANIFEST],
    astroApiToken: get('astro-api-token').trim(),
    astroApiUrl: get('astro-api-url').trim(),
    githubToken: get('github-token').trim(),
    comment: bool('comment', get('comment'), true),
    maxRemovals: Number(maxText),
    allowUnsafe: bool('allow-unsafe', get('allow-unsafe'), false),
    allowDirectPush: bool('allow-direct-push', get('allow-direct-push'), false),
    expectedChecksum,
  };
}
