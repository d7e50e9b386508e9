/**
 * `microcosm replay <report.json>`: run the report's scenario, seed, and (shrunk) schedule and
 * workload again, and prove it is the same run: the trace hash must match the recorded one.
 * Exit 0 when the hash matches and the run met its expectation, 1 otherwise, 2 on bad input.
 */
import { resolve } from 'node:path';
import { writeReports } from '../report/write.js';
import { replayReport } from '../scenarios/replay.js';
import { violatedInvariants } from '../scenarios/result.js';
import { type CliIo, UsageError } from './io.js';

export const REPLAY_USAGE = `usage: microcosm replay <report.json> [--report DIR]

Re-runs the run a JSON report describes and checks that its trace hash is identical.`;

export async function replayCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [file, ...rest] = argv;
  let reportDir = 'reports';
  if (file === undefined || file.startsWith('-')) throw new UsageError('expected the path of a run report (.json)');
  if (rest.length === 2 && rest[0] === '--report' && rest[1] !== undefined) reportDir = rest[1];
  else if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const outcome = await replayReport(resolve(io.cwd, file), reportDir, io.cwd);
  const { result } = outcome;
  const violated = violatedInvariants(result);
  io.out(
    [
      `${result.scenario} — seed ${result.seed}: ${result.passed ? 'passed' : 'FAILED'}${violated.length > 0 ? ` (violated: ${violated.join(', ')})` : ''}`,
      ...result.verdicts.flatMap((v) => v.violations.slice(0, 3).map((x) => `  ${x.invariant}: ${x.message}`)),
      `trace hash ${result.traceHash} (recorded ${outcome.recordedHash}): ${outcome.identical ? 'identical' : 'DIFFERENT — the run did not reproduce'}`,
      '',
    ].join('\n'),
  );
  await writeReports(resolve(io.cwd, reportDir, 'replay'), [result]);
  return outcome.identical && result.passed ? 0 : 1;
}
