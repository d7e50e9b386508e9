/**
 * The table of `microcosm` subcommands. Adding a command is one entry here: its name, the usage
 * line `microcosm help` prints, and a lazy `run` (so `microcosm check` never loads the scenario
 * runner). A command's own `--help` is its `usage()` text.
 */
import type { CliIo } from './io.js';

export interface Command {
  readonly name: string;
  /** One line for `microcosm help`: the arguments, then what it does. */
  readonly summary: string;
  /** The full usage text `microcosm NAME --help` prints. */
  readonly usage: () => Promise<string>;
  /** Run with the arguments after the command name; resolves to the exit code. */
  readonly run: (argv: readonly string[], io: CliIo) => Promise<number>;
}

export const COMMANDS: readonly Command[] = [
  {
    name: 'run',
    summary: 'run [files…]            run chaos scenarios (default: every file in scenarios/)',
    usage: async () => (await import('./run-args.js')).RUN_USAGE,
    run: async (argv, io) => (await import('./run.js')).runCommand(argv, io),
  },
  {
    name: 'replay',
    summary: 'replay <report.json>    re-run a reported run; exit 0 reproduced, 1 diverged',
    usage: async () => (await import('./replay.js')).REPLAY_USAGE,
    run: async (argv, io) => (await import('./replay.js')).replayCommand(argv, io),
  },
  {
    name: 'merge',
    summary: 'merge DIR… [--report OUT] join shard reports into one summary, JUnit and index.html',
    usage: async () => (await import('./merge.js')).MERGE_USAGE,
    run: async (argv, io) => (await import('./merge.js')).mergeCommand(argv, io),
  },
  {
    name: 'check',
    summary: 'check FILE… --model M   check histories for linearizability',
    usage: async () => (await import('./check.js')).CHECK_USAGE,
    run: async (argv) => (await import('./check.js')).checkCommand(argv),
  },
  {
    name: 'lint',
    summary: 'lint [paths…] [--json]  find what a simulation cannot virtualise (real I/O, WebCrypto, hrtime, …)',
    usage: async () => (await import('./lint.js')).LINT_USAGE,
    run: async (argv, io) => (await import('./lint.js')).lintCommand(argv, io),
  },
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}
