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
  ...(
    [
      ['services', 'services                list services, versions and nodes on a real registry'],
      ['describe', 'describe SERVICE        endpoints, metadata and nodes of each version'],
      ['call', 'call SERVICE E.M [JSON] call an endpoint over the real transport, print the reply'],
      ['publish', 'publish TOPIC [JSON]    publish a message on a real broker'],
      ['register', 'register SERVICE --address A   register a node by hand'],
      ['deregister', 'deregister SERVICE --node ID   remove a node'],
      ['health', 'health SERVICE          call Health.Check on every node; exit 1 if one fails'],
    ] as const
  ).map(
    ([name, summary]): Command => ({
      name,
      summary,
      usage: async () => (await import('./services.js')).SERVICES_USAGE,
      run: async (argv, io) => (await import('./services.js')).serviceCommand(name, argv, io),
    }),
  ),
  {
    name: 'config',
    summary: 'config get|set PATH …   the shared config document in a store',
    usage: async () => (await import('./config-command.js')).CONFIG_USAGE,
    run: async (argv, io) => (await import('./config-command.js')).configCommand(argv, io),
  },
  {
    name: 'gateway',
    summary: 'gateway --registry URL  serve an HTTP → RPC gateway (routes, namespace, rate limits)',
    usage: async () => (await import('./gateway-command.js')).GATEWAY_USAGE,
    run: async (argv, io) => (await import('./gateway-command.js')).gatewayCommand(argv, io),
  },
  {
    name: 'new',
    summary: 'new NAME [--proto FILE] scaffold a service package (typed client, simTest, scenario)',
    usage: async () => (await import('./new/generate.js')).NEW_USAGE,
    run: async (argv, io) => (await import('./new-command.js')).newCommand(argv, io),
  },
  {
    name: 'dashboard',
    summary: 'dashboard --registry URL a web page over a live registry and a reports folder',
    usage: async () => (await import('./dashboard-command.js')).DASHBOARD_USAGE,
    run: async (argv, io) => (await import('./dashboard-command.js')).dashboardCommand(argv, io),
  },
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}
