/**
 * Write a run's reports into a directory: `summary.json`, `junit.xml`, `summary.md`, and for each
 * run worth looking at (failures, found bugs, one sample per scenario) its replayable JSON and its
 * HTML timeline; a shrunk failure also gets the minimal case's JSON and HTML (`…-min.*`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { reportBaseName } from '../scenarios/replay-command.js';
import type { RunResult } from '../scenarios/result.js';
import { formatHtml } from './html.js';
import { formatRunJson, formatSummaryJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';

export interface WrittenReports {
  readonly dir: string;
  readonly files: readonly string[];
}

export async function writeReports(dir: string, results: readonly RunResult[]): Promise<WrittenReports> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  const write = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    files.push(path);
  };
  await write('summary.json', `${formatSummaryJson(results.map(withoutDetail))}\n`);
  await write('junit.xml', formatJunit(results));
  await write('summary.md', formatMarkdown(results));
  for (const result of results) {
    if (result.timeline === undefined && result.passed && result.shrink === undefined) continue;
    const base = reportBaseName(result.scenario, result.seed);
    await write(`${base}.json`, formatRunJson(result));
    await write(`${base}.html`, formatHtml(result));
    if (result.shrink !== undefined) {
      const minimal = result.shrink.minimal;
      const minBase = reportBaseName(minimal.scenario, minimal.seed, true);
      await write(`${minBase}.json`, formatRunJson(minimal));
      await write(`${minBase}.html`, formatHtml(minimal));
    }
  }
  return { dir, files };
}

function withoutDetail(result: RunResult): RunResult {
  const { timeline: _timeline, ...rest } = result;
  return rest;
}
