/**
 * The `microcosm` command: parses argv and dispatches to a subcommand. Returns the exit code:
 * 0 success, 1 a scenario failed, 2 bad input (unknown command or flag, malformed scenario).
 */
import { ScenarioError } from '../scenarios/scenario-error.js';
import { type CliIo, processIo, UsageError } from './io.js';
import { replayCommand } from './replay.js';
import { runCommand } from './run.js';

const USAGE = `usage: microcosm <command> [options]

commands:
  run [files…]            run chaos scenarios (default: every file in scenarios/); see \`microcosm run --help\`
  replay <report.json>    re-run a reported run and check its trace hash
  check FILE… --model M   check histories for linearizability; see \`microcosm check --help\`
  help                    show this message`;

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(`${USAGE}\n`);
        return 0;
      case 'run':
        if (rest.includes('--help') || rest.includes('-h')) {
          io.out(`${(await import('./run-args.js')).RUN_USAGE}\n`);
          return 0;
        }
        return await runCommand(rest, io);
      case 'replay':
        return await replayCommand(rest, io);
      case 'check':
        return await (await import('./check.js')).checkCommand(rest);
      case 'services':
      case 'describe':
      case 'call':
      case 'publish':
      case 'register':
      case 'deregister':
      case 'health':
        return await (await import('./services.js')).serviceCommand(command, rest, io);
      case 'config':
        return await (await import('./config-command.js')).configCommand(rest, io);
      case 'gateway':
        return await (await import('./gateway-command.js')).gatewayCommand(rest, io);
      case 'new':
        return await (await import('./new-command.js')).newCommand(rest, io);
      case 'dashboard':
        return await (await import('./dashboard-command.js')).dashboardCommand(rest, io);
      default:
        io.err(`microcosm: unknown command "${command}"\n\n${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`microcosm ${command}: ${error.message}\n(see microcosm ${command} --help)\n`);
      return 2;
    }
    if (error instanceof ScenarioError) {
      io.err(`microcosm ${command}: ${error.message.replaceAll(`${io.cwd}/`, '')}\n`);
      return 2;
    }
    throw error;
  }
}
