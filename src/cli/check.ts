/**
 * `microcosm check FILE… --model NAME [--json] [--timeout S]`: check histories for
 * linearizability. Each file's format (JSON lines, EDN maps, jepsen.util log lines) is
 * detected from its content. Exit codes: 0 every file linearizable; 1 any file not
 * linearizable; 2 bad usage, or a file that is not a history (when none is found not
 * linearizable); 3 any file unknown (time limit) and none not linearizable.
 */
import { readFile } from 'node:fs/promises';
import {
  type CheckResult,
  checkHistoryParallel,
  describeOperation,
  HistoryError,
  HistoryParseError,
  isModelName,
  MODELS,
  type ModelName,
  parseHistory,
} from '../assertions/index.js';
import { liveRuntime } from '../micro/live.js';

export const CHECK_USAGE = `usage: microcosm check FILE… --model ${Object.keys(MODELS).join('|')} [--json] [--timeout S]

  --model NAME   the model to check against (required)
  --json         one JSON object per file per line: file, verdict, operations, ms, …
  --timeout S    give up on a file after S seconds (verdict "unknown"); default: no limit`;

interface Args {
  readonly files: readonly string[];
  readonly model: ModelName;
  readonly json: boolean;
  readonly timeoutMs?: number;
}

function parseArgs(argv: readonly string[]): Args | string {
  const files: string[] = [];
  let model: string | undefined;
  let json = false;
  let timeout: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--json') json = true;
    else if (arg === '--model' || arg === '--timeout') {
      const value = argv[++i];
      if (value === undefined) return `${arg} needs a value`;
      if (arg === '--model') model = value;
      else timeout = value;
    } else if (arg.startsWith('--model=')) model = arg.slice('--model='.length);
    else if (arg.startsWith('--timeout=')) timeout = arg.slice('--timeout='.length);
    else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else files.push(arg);
  }
  if (files.length === 0) return 'no history files given';
  if (model === undefined) return '--model is required';
  if (!isModelName(model)) return `unknown model "${model}" (expected ${Object.keys(MODELS).join(', ')})`;
  if (timeout === undefined) return { files, model, json };
  const seconds = Number(timeout);
  if (!(seconds > 0 && Number.isFinite(seconds)))
    return `--timeout: expected a positive number of seconds, got "${timeout}"`;
  return { files, model, json, timeoutMs: seconds * 1000 };
}

type FileOutcome =
  | { readonly type: 'checked'; readonly result: CheckResult; readonly ms: number }
  | {
      readonly type: 'bad-input';
      readonly error: string;
      readonly problems?: readonly { line: number; message: string }[];
    };

async function checkFile(file: string, args: Args): Promise<FileOutcome> {
  const start = liveRuntime.clock.now();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { type: 'bad-input', error: `cannot read: ${(error as Error).message}` };
  }
  try {
    const { history } = parseHistory(text);
    const options = args.timeoutMs === undefined ? {} : { timeoutMs: args.timeoutMs };
    const result = await checkHistoryParallel(history, args.model, options);
    return { type: 'checked', result, ms: liveRuntime.clock.now() - start };
  } catch (error) {
    if (error instanceof HistoryParseError)
      return { type: 'bad-input', error: error.message, problems: error.problems };
    if (error instanceof HistoryError || error instanceof TypeError) return { type: 'bad-input', error: error.message };
    throw error;
  }
}

function report(file: string, outcome: FileOutcome, json: boolean): string {
  if (outcome.type === 'bad-input') {
    if (json)
      return JSON.stringify({
        file,
        error: outcome.error,
        ...(outcome.problems ? { problems: outcome.problems } : {}),
      });
    return `${file}: bad input: ${outcome.error}`;
  }
  const { result, ms } = outcome;
  const base = {
    file,
    verdict: result.type,
    model: result.model,
    operations: result.operations,
    partitions: result.partitions.length,
    ms: Math.round(ms),
  };
  switch (result.type) {
    case 'linearizable':
      return json
        ? JSON.stringify(base)
        : `${file}: linearizable (${result.operations} operations, ${result.partitions.length} partition(s), ${base.ms} ms)`;
    case 'unknown':
      return json
        ? JSON.stringify({ ...base, reason: result.reason })
        : `${file}: unknown — ${result.reason} (${base.ms} ms)`;
    case 'not-linearizable': {
      const [first] = result.violations;
      if (json) {
        return JSON.stringify({
          ...base,
          violations: result.violations.map((v) => ({
            partition: v.partition,
            message: v.message,
            prefix: v.prefix.length,
            stuck: v.stuck?.id ?? null,
          })),
        });
      }
      const lines = [`${file}: NOT linearizable (${result.operations} operations, ${base.ms} ms)`];
      if (first) {
        lines.push(`  ${first.message}`);
        if (first.stuck) lines.push(`  cannot place: ${describeOperation(first.stuck)}`);
      }
      return lines.join('\n');
    }
    default: {
      const never: never = result;
      return String(never);
    }
  }
}

export async function checkCommand(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(CHECK_USAGE);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    console.error(`microcosm check: ${args}\n\n${CHECK_USAGE}`);
    return 2;
  }
  const verdicts = new Set<string>();
  for (const file of args.files) {
    const outcome = await checkFile(file, args);
    verdicts.add(outcome.type === 'bad-input' ? 'bad-input' : outcome.result.type);
    const line = report(file, outcome, args.json);
    if (outcome.type === 'bad-input' && !args.json) console.error(line);
    else console.log(line);
  }
  if (verdicts.has('not-linearizable')) return 1;
  if (verdicts.has('bad-input')) return 2;
  if (verdicts.has('unknown')) return 3;
  return 0;
}
