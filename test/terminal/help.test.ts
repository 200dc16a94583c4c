import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashComplete } from '../support/bash-complete.ts';
import { EXAMPLE_MANIFEST, exampleEmulator, runCli, tempDir } from '../support/cli.ts';
import { runMain, validateText } from '../support/in-process.ts';

// Issue 14 point 7: help with examples, `help <command>`, shell completion, coloured prefixes, YAML carets.

const COMMANDS = ['validate', 'plan', 'apply', 'list', 'export'];

describe('help', () => {
  it.each(COMMANDS)('%s --help has examples that run that command', async (cmd) => {
    const r = await runMain([cmd, '--help']);
    expect(r.code).toBe(0);
    const examples = r.stdout.split('\nExamples:\n')[1];
    expect(examples).toBeDefined();
    const lines = examples!.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(new RegExp(`^  astro-access ${cmd}\\b`));
  });

  it('emulator --help has examples', async () => {
    const r = await runCli(['emulator', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nExamples:\n {2}astro-access emulator /);
  });

  it.each(COMMANDS)('help %s prints what %s --help prints', async (cmd) => {
    const viaHelp = await runMain(['help', cmd]);
    const viaFlag = await runMain([cmd, '--help']);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
  });

  it('help alone lists every command and documents ASTRO_ORGANIZATION_ID; a misspelt one gets a hint', async () => {
    const r = await runMain(['help']);
    expect(r.code).toBe(0);
    for (const cmd of [...COMMANDS, 'emulator', 'help', 'completion']) expect(r.stdout).toMatch(new RegExp(`^  ${cmd} `, 'm'));
    expect(r.stdout).toContain('ASTRO_ORGANIZATION_ID');
    const bad = await runMain(['help', 'exprot']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown command "exprot" (did you mean "export"?)');
  });
});

describe('completion', () => {

  it('bash completes commands, then each command\'s flags, then shells and command names', async () => {
    const r = await runMain(['completion', 'bash']);
    expect(r.code).toBe(0);
    expect(bashComplete(r.stdout, ['astro-access', 'ex'])).toEqual(['export']);
    expect(bashComplete(r.stdout, ['astro-access', 'apply', '--par'])).toEqual(['--parallelism']);
    expect(bashComplete(r.stdout, ['astro-access', 'list', '--dep']).sort()).toEqual(['--deployment', '--deployment-id']);
    expect(bashComplete(r.stdout, ['astro-access', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    expect(bashComplete(r.stdout, ['astro-access', 'help', 'pl'])).toEqual(['plan']);
  });

  it('zsh and fish scripts name every command and flag', async () => {
    const zsh = await runMain(['completion', 'zsh']);
    const fish = await runMain(['completion', 'fish']);
    expect(zsh.code).toBe(0);
    expect(fish.code).toBe(0);
    expect(zsh.stdout.split('\n')[0]).toBe('#compdef astro-access');
    expect(zsh.stdout).toMatch(/^ {4}apply\) flags=\(.*--parallelism.*\) ;;$/m);
    expect(zsh.stdout).toContain("'export:write a manifest of what is live now'");
    expect(fish.stdout).toContain("complete -c astro-access -n '__fish_seen_subcommand_from export' -l like -r -F");
    expect(fish.stdout).toContain("complete -c astro-access -n '__fish_seen_subcommand_from export' -l force\n");
    expect(fish.stdout).toContain('complete -c astro-access -n __fish_use_subcommand -a list -d');
  });

  it('an unknown shell is refused', async () => {
    const r = await runMain(['completion', 'powershell']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('completion takes one of bash, zsh, fish, got "powershell"');
  });
});

describe('colour on a terminal', () => {
  const broken = (): string => {
    const file = join(tempDir(), 'astro-access.yaml');
    writeFileSync(file, 'version: 1\norganizationId: clx42kkcm01fo01o06agtmshg\nworkspaces: []\n');
    return file;
  };

  it('colours only the error: prefix, on a terminal, without NO_COLOR', async () => {
    const r = await runMain(['list', '--deployment', '\x1b[31mred', '--deployment-id', 'x'], { tty: true, env: { NO_COLOR: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr.startsWith('\x1b[31merror:\x1b[39m give --deployment NAME or --deployment-id ID, not both')).toBe(true);
    // No colour code after the prefix: the rest of the line is left as it is.
    expect(r.stderr.slice('\x1b[31merror:\x1b[39m'.length)).not.toContain('\x1b[');
  });

  it('colours warning: in yellow', async () => {
    const { emulator, env } = await exampleEmulator();
    try {
      // A token that is not a JWT: apply warns that the self-lockout guard cannot know its ID.
      const r = await runMain(['apply', '-f', EXAMPLE_MANIFEST, '--max-removals', '0'], {
        tty: true,
        env: { ...env, ASTRO_API_TOKEN: 'not-a-jwt-but-long-enough', NO_COLOR: '' },
      });
      expect(r.stderr).toMatch(/^\x1b\[33mwarning:\x1b\[39m ASTRO_API_TOKEN is not a JWT[^\x1b]*$/m);
      expect(r.stderr).toMatch(/^\x1b\[31merror:\x1b\[39m refused by safety guards/m);
    } finally {
      await emulator.close();
    }
  });

  it('never with NO_COLOR, and never when stderr is not a terminal', async () => {
    const noColor = await runMain(['validate', '-f', broken(), '--nope'], { tty: true, env: { NO_COLOR: '1' } });
    const piped = await runMain(['validate', '-f', broken(), '--nope'], { tty: false, env: { NO_COLOR: '' } });
    for (const r of [noColor, piped]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr).not.toContain('\x1b');
    }
  });
});

describe('YAML syntax errors', () => {
  it('show the offending line with a caret under the column', async () => {
    const r = await validateText('bad.yaml', 'version: 1\norganizationId: clx42kkcm01fo01o06agtmshg\nworkspaces:\n  - workspace: a\n    deployments: [x, y]]\n');
    const file = r.file;
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n');
    const at = lines.findIndex((l) => l.startsWith(`${file}:5:`));
    expect(at).toBeGreaterThanOrEqual(0);
    const col = Number(/:5:(\d+):/.exec(lines[at]!)![1]);
    expect(lines[at + 1]).toBe('  5 |     deployments: [x, y]]');
    expect(lines[at + 2]).toBe(`    | ${' '.repeat(col - 1)}^`);
    expect('    deployments: [x, y]]'[col - 1]).toBe(']');
  });

  it('an error at the end of the file points after its last line', async () => {
    const r = await validateText('open.yaml', 'version: 1\norganizationId: clx42kkcm01fo01o06agtmshg\nworkspaces: [a, b\n\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('  3 | workspaces: [a, b\n    |                  ^\n');
  });

  it('a tab in the shown line is shown as a space, so the caret still lines up', async () => {
    const r = await validateText('tab.yaml', 'version: 1\norganizationId: clx42kkcm01fo01o06agtmshg\nworkspaces:\n  - workspace: "a\tb"]\n');
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n');
    const at = lines.indexOf('  4 |   - workspace: "a b"]');
    expect(at).toBeGreaterThan(0);
    expect(lines[at]![lines[at + 1]!.indexOf('^')]).toBe(']');
  });
});
