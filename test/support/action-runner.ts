import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import type { Runner } from '../../src/github/action-context.ts';

// The runner for in-process runs of the Action: what @actions/core does in the bundle (main.ts), to a
// log kept in memory and to the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files the env names. Same bytes:
// `::name key=value::message` commands with @actions/core's escaping, `name<<delimiter` output blocks.
// The tests that run the bundle as a process (one per event) hold this to what @actions/core writes.

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function command(name: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '' && v !== 0)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`);
  return `::${name}${props.length > 0 ? ` ${props.join(',')}` : ''}::${escapeData(message)}\n`;
}

export interface RecordingRunner extends Runner {
  /** Everything written to the log, in order (stdout of a real run). */
  readonly stdout: string;
  /** 1 once the step was marked failed (the process's exit code), else 0. */
  readonly exitCode: number;
}

export function recordingRunner(env: NodeJS.ProcessEnv): RecordingRunner {
  let stdout = '';
  let exitCode = 0;
  const write = (text: string) => {
    stdout += text;
  };
  const error = (m: string, p?: { title: string; file: string; startLine: number; startColumn: number }) =>
    write(command('error', p === undefined ? {} : { title: p.title, file: p.file, line: p.startLine, col: p.startColumn }, m));
  return {
    get stdout() {
      return stdout;
    },
    get exitCode() {
      return exitCode;
    },
    info: (m) => write(`${m}\n`),
    warning: (m) => write(command('warning', {}, m)),
    notice: (m) => write(command('notice', {}, m)),
    error,
    setSecret: (s) => write(command('add-mask', {}, s)),
    setOutput: (name, value) => {
      const file = env['GITHUB_OUTPUT'];
      if (!file) return write(`\n${command('set-output', { name }, value)}`);
      if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
      const delimiter = `ghadelimiter_${randomUUID()}`;
      appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`, 'utf8');
    },
    appendSummary: async (md) => {
      const file = env['GITHUB_STEP_SUMMARY'];
      if (!file) throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY');
      await appendFile(file, `${md}\n`, 'utf8');
    },
    setFailed: (m) => {
      exitCode = 1;
      error(m);
    },
  };
}
