/**
 * Replay a run from its JSON report: the report's `replay` input (file, scenario, seed, and the
 * shrunk schedule and workload when there is one) goes back through the same runner, and the new
 * trace hash is compared with the recorded one.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { ReplayInput, RunResult } from './result.js';
import { ScenarioError } from './scenario-error.js';
import { faultSchema } from './schema.js';
import { executeTask } from './task.js';
import type { WorkloadOp } from './workload-types.js';

const opSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  at: z.number().nonnegative(),
  op: z.string(),
  key: z.string(),
  args: z.record(z.string(), z.unknown()).optional(),
});

const reportSchema = z.object({
  format: z.literal('microcosm-run', { error: 'expected a microcosm run report (format: microcosm-run)' }),
  result: z.object({
    traceHash: z.string(),
    replay: z.object({
      file: z.string(),
      scenario: z.string(),
      seed: z.number().int(),
      faults: z.array(faultSchema).optional(),
      ops: z.array(opSchema).optional(),
    }),
  }),
});

export interface ReplaySource {
  readonly input: ReplayInput;
  readonly recordedHash: string;
}

export async function readReplaySource(reportFile: string): Promise<ReplaySource> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(reportFile, 'utf8'));
  } catch (error) {
    throw new ScenarioError(`cannot read the report: ${error instanceof Error ? error.message : String(error)}`, {
      file: reportFile,
    });
  }
  const parsed = reportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScenarioError(issue?.message ?? 'not a run report', { file: reportFile, path: issue?.path ?? [] });
  }
  const replay = parsed.data.result.replay;
  const input: ReplayInput = {
    file: replay.file,
    scenario: replay.scenario,
    seed: replay.seed,
    ...(replay.faults === undefined ? {} : { faults: replay.faults }),
    ...(replay.ops === undefined ? {} : { ops: replay.ops.map((op) => stripUndefined(op) as WorkloadOp) }),
  };
  return { input, recordedHash: parsed.data.result.traceHash };
}

export interface ReplayOutcome {
  readonly result: RunResult;
  readonly recordedHash: string;
  readonly identical: boolean;
}

/** Run the report's input again; `identical` says whether the trace hash matched. */
/** `cwd` is where the original run started: the report's file path is relative to it. */
export async function replayReport(reportFile: string, reportDir: string, cwd = '.'): Promise<ReplayOutcome> {
  const { input, recordedHash } = await readReplaySource(reportFile);
  const overrides = {
    ...(input.faults === undefined ? {} : { faults: input.faults }),
    ...(input.ops === undefined ? {} : { ops: input.ops }),
  };
  const result = await executeTask({
    file: input.file,
    path: resolve(cwd, input.file),
    scenario: input.scenario,
    seed: input.seed,
    fileHoldsSeveral: false,
    shrink: false,
    reportDir,
    sample: true,
    overrides,
  });
  return { result, recordedHash, identical: result.traceHash === recordedHash };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
