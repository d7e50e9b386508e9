/** Where the command writes, so tests can capture it: stdout for results, stderr for progress. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether stderr is a terminal (progress bar) or a log (plain lines). */
  readonly tty: boolean;
  readonly cwd: string;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  tty: process.stderr.isTTY === true && process.env.CI === undefined,
  cwd: process.cwd(),
};

/** Bad usage (unknown flag, bad value): printed with a hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
