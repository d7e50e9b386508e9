/**
 * `microcosm replay <report.json>`: run the report's scenario, seed, and (shrunk) schedule and
 * workload again, and prove it is the same run: the trace hash must match the recorded one.
 * Exit 0 when the run reproduced (identical trace hash — a replayed failure fails again, which is
 * the point), 1 when it diverged, 2 on bad input.
 */
import { resolve } from 'node:path';
import { writeReports } from '../report/write.js';
import { replayReport } from '../scenarios/replay.js';
import { violatedInvariants } from '../scenarios/result.js';
import { parseFlags } from './flags.js';
import { type CliIo, UsageError } from './io.js';

export const REPLAY_USAGE = `usage: microcosm replay <report.json> [--report DIR]

Re-runs the run a JSON report describes and checks that its trace hash is identical.

options:
  --report DIR      the replay's own reports go to DIR/replay/ (default: reports)
exit code: 0 the run reproduced (identical trace hash, whatever its verdict), 1 it diverged,
2 on bad input`;

export async function replayCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, { report: { type: 'string' } });
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError('expected the path of a run report (.json)');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const reportDir = values.report ?? 'reports';
  const outcome = await replayReport(resolve(io.cwd, file), reportDir, io.cwd);
  const { result } = outcome;
  const violated = violatedInvariants(result);
  io.out(
    [
      `${result.scenario} — seed ${result.seed}: ${result.passed ? 'passed' : 'FAILED'}${violated.length > 0 ? ` (violated: ${violated.join(', ')})` : ''}`,
      ...result.verdicts.flatMap((v) => v.violations.slice(0, 3).map((x) => `  ${x.invariant}: ${x.message}`)),
      `trace hash ${result.traceHash} (recorded ${outcome.recordedHash}): ${outcome.identical ? 'identical — the run reproduced' : 'DIFFERENT — the run did not reproduce'}`,
      '',
    ].join('\n'),
  );
  await writeReports(resolve(io.cwd, reportDir, 'replay'), [result]);
  return outcome.identical ? 0 : 1;
}
