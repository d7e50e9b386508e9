/**
 * Progress of a sweep: a redrawn bar on a terminal, one plain line per finished run in a log
 * (CI), so neither fills the other with noise.
 */
import type { RunResult } from '../scenarios/result.js';
import type { CliIo } from './io.js';

export function progressReporter(io: CliIo): {
  onResult: (result: RunResult, done: number, total: number) => void;
  end: () => void;
} {
  let drawn = false;
  return {
    onResult(result, done, total) {
      const verdict = result.passed ? 'ok' : 'FAIL';
      if (io.tty) {
        const width = 30;
        const filled = Math.round((done / total) * width);
        io.err(
          `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${result.scenario} seed ${result.seed} ${verdict}\u001b[K`,
        );
        drawn = true;
      } else {
        io.err(
          `${done}/${total} ${verdict} ${result.scenario} seed ${result.seed} (${Math.round(result.wallMs)} ms)\n`,
        );
      }
    },
    end() {
      if (drawn) io.err('\n');
    },
  };
}
