/**
 * Write a run's reports into a directory: `index.html` (every run, linking its page),
 * `summary.json`, `runs.json` (what `microcosm merge` reads), `junit.xml`, `summary.md`, and for
 * each run worth looking at (see {@link keptPages}) its replayable JSON and its HTML page; a
 * shrunk failure also gets the minimal case's JSON and HTML (`…-min.*`).
 *
 * The directory holds one run: a file list (`.microcosm-files`) remembers what the previous run
 * wrote there, and those files are removed first — never anything else a user put beside them.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../scenarios/result.js';
import { formatHtml } from './html.js';
import { formatIndexHtml } from './index-html.js';
import { formatRunJson, formatSummaryJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { keptPages, type PageOf } from './pages.js';
import { formatRunsFile, type RunEntry } from './runs-file.js';

export const WRITTEN_FILES_LIST = '.microcosm-files';

export interface WrittenReports {
  readonly dir: string;
  readonly files: readonly string[];
}

export interface WriteOptions {
  /** Each result's position in the whole (unsharded) run, for `microcosm merge`. Default: its index. */
  readonly order?: readonly number[];
  /** Name pages some other way than rendering them (merge: the shards' pages). */
  readonly pageOf?: PageOf;
  /** With `pageOf`: put those pages in place; `write(name, put)` records the file as this run's. */
  readonly copy?: (write: (name: string, put: (path: string) => Promise<void>) => Promise<void>) => Promise<void>;
}

export async function writeReports(
  dir: string,
  results: readonly RunResult[],
  options: WriteOptions = {},
): Promise<WrittenReports> {
  await mkdir(dir, { recursive: true });
  await removePreviousRun(dir);
  const files: string[] = [];
  const write = async (name: string, text: string) => {
    await writeFile(join(dir, name), text);
    files.push(name);
  };
  const pageOf = options.pageOf ?? keptPages;
  await options.copy?.(async (name, put) => {
    await put(join(dir, name));
    files.push(name);
  });
  if (options.pageOf === undefined)
    for (const result of results) {
      const pages = keptPages(result);
      if (pages === undefined) continue;
      await write(pages.json, formatRunJson(result));
      await write(pages.html, formatHtml(result, pages));
      if (result.shrink !== undefined && pages.minimal !== undefined) {
        const minimal = result.shrink.minimal;
        await write(pages.minimal.json, formatRunJson(minimal));
        await write(pages.minimal.html, formatHtml(minimal, { ...pages.minimal, original: pages.html }));
      }
    }
  const entries: RunEntry[] = results.map((result, i) => {
    const pages = pageOf(result);
    return { order: options.order?.[i] ?? i, result: withoutDetail(result), ...(pages ? { pages } : {}) };
  });
  await write('summary.json', `${formatSummaryJson(results.map(withoutDetail))}\n`);
  await write('runs.json', formatRunsFile(entries));
  await write('junit.xml', formatJunit(results, pageOf));
  await write('summary.md', formatMarkdown(results, pageOf));
  await write('index.html', formatIndexHtml(results, pageOf));
  await writeFile(join(dir, WRITTEN_FILES_LIST), `${files.join('\n')}\n`);
  return { dir, files: files.map((name) => join(dir, name)) };
}

/** Remove what the previous run wrote here (and only that), so no stale page survives. */
export async function removePreviousRun(dir: string): Promise<void> {
  const list = await readFile(join(dir, WRITTEN_FILES_LIST), 'utf8').catch(() => '');
  for (const name of list.split('\n')) {
    if (name === '' || name.includes('/') || name.includes('\\') || name.startsWith('.')) continue;
    await rm(join(dir, name), { force: true });
  }
  await rm(join(dir, WRITTEN_FILES_LIST), { force: true });
}

function withoutDetail(result: RunResult): RunResult {
  const { timeline: _timeline, ...rest } = result;
  if (rest.shrink === undefined) return rest;
  const { timeline: _minTimeline, ...minimal } = rest.shrink.minimal;
  return { ...rest, shrink: { ...rest.shrink, minimal } };
}
