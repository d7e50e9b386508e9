/**
 * The `microcosm` command: parses argv and dispatches to a subcommand. Returns the exit code.
 */

const USAGE = `usage: microcosm <command> [options]

commands:
  run [files…]     run chaos scenarios (default: every file in scenarios/)
  help             show this message`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    case 'run':
      void rest;
      console.log('microcosm run: no scenarios yet');
      return 0;
    default:
      console.error(`microcosm: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}
