import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './cli.ts';

/** Ask a bash completion script what it completes for the words typed so far. */
export function bashComplete(script: string, words: string[]): string[] {
  const file = join(tempDir(), 'completion.bash');
  writeFileSync(file, script);
  const array = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync('bash', ['-c', `source ${file}; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _astro_access; printf '%s\\n' "\${COMPREPLY[@]}"`], {
    encoding: 'utf8',
  });
  return out.split('\n').filter((l) => l !== '');
}
