/**
 * `microcosm merge DIR… [--report OUT]`: join the report directories of shards (`microcosm run
 * --shard k/n --report DIR`) into one: the runs sorted back into the order of the whole run, the
 * pages each shard wrote copied over, and one summary.md, junit.xml, summary.json, runs.json and
 * index.html over all of them. Exit 0 when every merged run passed, 1 when one failed, 2 on bad
 * input (a directory that is not a run's report, the same run in two shards).
 */
import { copyFile, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseRunsFile, type RunEntry } from '../report/runs-file.js';
import { writeReports } from '../report/write.js';
import type { RunResult } from '../scenarios/result.js';
import { parseFlags } from './flags.js';
import { type CliIo, UsageError } from './io.js';
import { runKey } from './select-tasks.js';
import { summaryTable } from './table.js';

export const MERGE_USAGE = `usage: microcosm merge DIR… [--report OUT]

Joins the reports of shards (microcosm run --shard K/N --report DIR) into one report.

options:
  --report OUT      where the merged report goes (default: reports)
exit code: 0 if every merged run passed, 1 if one failed, 2 on bad input`;

interface Found {
  readonly dir: string;
  readonly entry: RunEntry;
}

export async function mergeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, { report: { type: 'string' } });
  if (positionals.length === 0) throw new UsageError('expected one or more shard report directories');
  const out = resolve(io.cwd, values.report ?? 'reports');
  const found: Found[] = [];
  const seen = new Map<string, string>();
  for (const name of positionals) {
    const dir = resolve(io.cwd, name);
    if (dir === out) throw new UsageError(`${name} is also the output (--report): merge into another directory`);
    const where = join(name, 'runs.json');
    const text = await readFile(join(dir, 'runs.json'), 'utf8').catch(() => undefined);
    if (text === undefined) throw new UsageError(`${name}: not a run's report directory (no runs.json)`);
    let runs: readonly RunEntry[];
    try {
      runs = parseRunsFile(text, where).runs;
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    for (const entry of runs) {
      const key = runKey(entry.result.scenario, entry.result.seed);
      const other = seen.get(key);
      if (other !== undefined)
        throw new UsageError(
          `"${entry.result.scenario}" seed ${entry.result.seed} is in both ${other} and ${name}: were the shards of one run?`,
        );
      seen.set(key, name);
      found.push({ dir, entry });
    }
  }
  found.sort((a, b) => a.entry.order - b.entry.order);
  const results: RunResult[] = found.map((f) => f.entry.result);
  const pages = new Map(found.map((f) => [f.entry.result, f.entry.pages]));
  // The shards' pages first: writeReports cleans what the previous merge wrote, then lists these.
  const written = await writeReports(out, results, {
    order: found.map((f) => f.entry.order),
    pageOf: (result) => pages.get(result),
    copy: async (write) => {
      for (const { dir, entry } of found) {
        const names = [entry.pages?.html, entry.pages?.json, entry.pages?.minimal?.html, entry.pages?.minimal?.json];
        for (const page of names) if (page !== undefined) await write(page, (to) => copyFile(join(dir, page), to));
      }
    },
  });
  io.out(`\n${summaryTable(results)}\n`);
  const failed = results.filter((r) => !r.passed).length;
  io.out(
    `\nmerged ${positionals.length} report(s), ${results.length} run(s): ${failed === 0 ? 'all passed' : `${failed} failed`}; report in ${relative(io.cwd, written.dir) || '.'}/ (index.html, summary.md, junit.xml)\n`,
  );
  return failed === 0 ? 0 : 1;
}
