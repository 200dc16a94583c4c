import { UsageError } from '../errors.ts';
import type { Options } from './args.ts';

// `astro-access completion bash|zsh|fish`: a script completing commands and each command's flags.
// Generated from the commands' own option tables, so a new flag completes without editing a script.

export interface CompletedCommand {
  name: string;
  summary: string;
  options: Options;
  /** The values a flag takes, offered after it (`--kind` → tokens users teams all). */
  choices?: Readonly<Record<string, readonly string[]>>;
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

/** --long and -s spellings of a command's flags. */
function flagsOf(options: Options): string[] {
  return Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
}

/** Arguments that are not flags: command names for `help`, shells for `completion`, else file names. */
function wordsFor(name: string, commands: readonly CompletedCommand[]): string[] | undefined {
  if (name === 'help') return commands.map((c) => c.name);
  if (name === 'completion') return [...SHELLS];
  return undefined;
}

// Command names, flags and choices are ours (letters, digits, dashes); summaries are quoted for each shell below.
const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const choicesOf = (c: CompletedCommand): [string, readonly string[]][] => Object.entries(c.choices ?? {});

function bash(commands: readonly CompletedCommand[]): string {
  const reply = (words: readonly string[]): string => `COMPREPLY=($(compgen -W ${sq(words.join(' '))} -- "$cur"))`;
  const cases = commands.map((c) => {
    const words = wordsFor(c.name, commands) ?? flagsOf(c.options);
    const choices = choicesOf(c);
    if (choices.length === 0) return `    ${c.name}) ${reply(words)} ;;`;
    // After a flag with choices, its values; otherwise the flags.
    return [
      `    ${c.name})`,
      '      case $prev in',
      ...choices.map(([flag, values]) => `        --${flag}) ${reply(values)} ;;`),
      `        *) ${reply(words)} ;;`,
      '      esac ;;',
    ].join('\n');
  });
  return [
    '# astro-access completion for bash. Load it with: source <(astro-access completion bash)',
    '_astro_access() {',
    '  local cur=${COMP_WORDS[COMP_CWORD]}',
    '  local prev=${COMP_WORDS[COMP_CWORD-1]}',
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    COMPREPLY=($(compgen -W ${sq(commands.map((c) => c.name).join(' '))} -- "$cur"))`,
    '    return',
    '  fi',
    '  case ${COMP_WORDS[1]} in',
    ...cases,
    '  esac',
    '}',
    // -o default: where no word fits (a flag's value), complete file names.
    'complete -o default -F _astro_access astro-access',
    '',
  ].join('\n');
}

function zsh(commands: readonly CompletedCommand[]): string {
  const described = commands.map((c) => sq(`${c.name}:${c.summary}`)).join(' ');
  const cases = commands.map((c) => {
    const words = wordsFor(c.name, commands);
    if (words) return `    ${c.name}) compadd -- ${words.join(' ')}; return ;;`;
    const choices = choicesOf(c).map(([flag, values]) => ` --${flag}) compadd -- ${values.join(' ')}; return ;;`);
    const after = choices.length > 0 ? `; case ${'${words[CURRENT-1]}'} in${choices.join('')} esac` : '';
    return `    ${c.name}) flags=(${flagsOf(c.options).join(' ')})${after} ;;`;
  });
  return [
    '#compdef astro-access',
    '# astro-access completion for zsh. Load it with: source <(astro-access completion zsh)',
    '_astro_access() {',
    '  local -a commands flags',
    `  commands=(${described})`,
    '  if (( CURRENT == 2 )); then',
    "    _describe 'command' commands",
    '    return',
    '  fi',
    '  case ${words[2]} in',
    ...cases,
    '  esac',
    '  if [[ ${words[CURRENT]} == -* ]]; then compadd -- $flags; else _files; fi',
    '}',
    'if [ "$funcstack[1]" = "_astro_access" ]; then _astro_access "$@"; else compdef _astro_access astro-access; fi',
    '',
  ].join('\n');
}

function fish(commands: readonly CompletedCommand[]): string {
  const lines = [
    '# astro-access completion for fish. Load it with: astro-access completion fish | source',
    'complete -c astro-access -f',
    ...commands.map((c) => `complete -c astro-access -n __fish_use_subcommand -a ${c.name} -d ${sq(c.summary)}`),
  ];
  for (const c of commands) {
    const when = `-n '__fish_seen_subcommand_from ${c.name}'`;
    const words = wordsFor(c.name, commands);
    if (words) {
      lines.push(`complete -c astro-access ${when} -a ${sq(words.join(' '))}`);
      continue;
    }
    for (const [name, o] of Object.entries(c.options)) {
      const choices = c.choices?.[name];
      // -x: takes one of these values, not a file name.
      const value = choices ? ` -x -a ${sq(choices.join(' '))}` : o.type === 'string' ? ' -r -F' : '';
      lines.push(`complete -c astro-access ${when} -l ${name}${o.short ? ` -s ${o.short}` : ''}${value}`);
    }
  }
  return lines.join('\n') + '\n';
}

export function completionScript(shell: string | undefined, commands: readonly CompletedCommand[]): string {
  if (!(SHELLS as readonly string[]).includes(shell ?? '')) {
    throw new UsageError(`completion takes one of ${SHELLS.join(', ')}${shell ? `, got ${JSON.stringify(shell)}` : ''}`);
  }
  return { bash, zsh, fish }[shell as Shell](commands);
}
