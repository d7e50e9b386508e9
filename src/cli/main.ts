/**
 * The `microcosm` command: parses argv and dispatches to a subcommand of {@link COMMANDS}.
 * Returns the exit code: 0 success, 1 a scenario failed (or a replay diverged), 2 bad input
 * (unknown command or flag, malformed scenario) — bad input exits 2 before any work runs.
 */
import { createRequire } from 'node:module';
import { ScenarioError } from '../scenarios/scenario-error.js';
import { COMMANDS, findCommand } from './commands.js';
import { suggestion } from './did-you-mean.js';
import { type CliIo, processIo, UsageError } from './io.js';

export function usage(): string {
  return [
    'usage: microcosm <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((command) => `  ${command.summary}`),
    '  help                    show this message (`microcosm <command> --help` for one command)',
    '  --version               print the version',
  ].join('\n');
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(`${usage()}\n`);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${packageVersion()}\n`);
    return 0;
  }
  const command = findCommand(name);
  if (command === undefined) {
    const known = [...COMMANDS.map((c) => c.name), 'help'];
    io.err(`microcosm: unknown command "${name}"${suggestion(name, known)}\n\n${usage()}\n`);
    return 2;
  }
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(`${await command.usage()}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`microcosm ${name}: ${error.message}\n(see microcosm ${name} --help)\n`);
      return 2;
    }
    if (error instanceof ScenarioError) {
      io.err(`microcosm ${name}: ${error.message.replaceAll(`${io.cwd}/`, '')}\n`);
      return 2;
    }
    throw error;
  }
}

/** The package's version, from its package.json (two folders up from src/cli or dist/cli). */
function packageVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}
