/**
 * Reading and writing whole histories: EDN maps one per line
 * (`{:process 0, :type :invoke, :f :read, :key "x", :value nil}`), `jepsen.util` log lines,
 * and JSON lines (our own export: one {@link HistoryEvent} per line). The format is detected
 * from the content. Jepsen's `:info` reads as `unknown`; a `:fail` whose value or `:error` is
 * `:timed-out` reads as `unknown` too (a timeout never proves an operation did not happen).
 * Nemesis events (a non-numeric, non-string process such as `:nemesis`) are not client
 * operations and are skipped.
 */
import type { EventType, History, HistoryEvent } from '../history.js';
import { EdnSyntaxError, type EdnValue, formatEdn, Keyword, parseEdn } from './edn.js';
import { formatLogLine, isLogLine, parseLogLine } from './log.js';

export type HistoryFormat = 'edn' | 'log' | 'json';

export interface LineProblem {
  /** 1-based line number in the input. */
  readonly line: number;
  readonly message: string;
}

/** Input that is not a history: every malformed line, each with its number. */
export class HistoryParseError extends Error {
  constructor(
    readonly problems: readonly LineProblem[],
    readonly format: HistoryFormat | undefined,
  ) {
    const shown = problems.slice(0, 5).map((p) => `line ${p.line}: ${p.message}`);
    if (problems.length > 5) shown.push(`… and ${problems.length - 5} more`);
    super(`malformed history${format ? ` (${format})` : ''}:\n  ${shown.join('\n  ')}`);
    this.name = 'HistoryParseError';
  }
}

export interface ParsedHistory {
  readonly format: HistoryFormat;
  readonly history: History;
}

/** Which format `text` is in, judged by its first meaningful line; undefined when none fits. */
export function detectFormat(text: string): HistoryFormat | undefined {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('//')) continue;
    if (line.startsWith('{"')) return 'json';
    if (line.startsWith('{')) return 'edn';
    if (isLogLine(line)) return 'log';
  }
  return undefined;
}

/** Parse a history, detecting its format. Throws {@link HistoryParseError} listing malformed lines. */
export function parseHistory(text: string, format: HistoryFormat | undefined = detectFormat(text)): ParsedHistory {
  if (format === undefined) {
    const empty = text.trim() === '';
    throw new HistoryParseError(
      [{ line: 1, message: empty ? 'empty input' : 'not EDN maps, JSON lines or jepsen.util log lines' }],
      undefined,
    );
  }
  const events: HistoryEvent[] = [];
  const problems: LineProblem[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('//')) return;
    if (format === 'log' && !isLogLine(line)) return;
    try {
      const event = format === 'json' ? fromJson(JSON.parse(line)) : format === 'edn' ? fromEdn(line) : fromLog(line);
      if (event) events.push(event);
    } catch (error) {
      problems.push({ line: i + 1, message: error instanceof Error ? error.message : String(error) });
    }
  });
  if (problems.length > 0) throw new HistoryParseError(problems, format);
  return { format, history: events };
}

/** Write a history in one of the formats (one event per line, trailing newline). */
export function formatHistory(history: History, format: HistoryFormat): string {
  const lines = history.map((e) => {
    const type = e.type === 'unknown' ? 'info' : e.type;
    switch (format) {
      case 'json':
        return JSON.stringify(e);
      case 'edn': {
        const map: Record<string, unknown> = { process: e.process, type: Keyword.of(type), f: Keyword.of(e.f) };
        if (e.key !== undefined) map.key = e.key;
        map.value = e.value;
        if (e.time !== undefined) map.time = e.time;
        if (e.error !== undefined) map.error = Keyword.of(e.error);
        return formatEdn(map);
      }
      case 'log':
        return formatLogLine(String(e.process), type, e.f, formatEdn(e.value));
      default: {
        const never: never = format;
        throw new Error(`unknown format ${String(never)}`);
      }
    }
  });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

const TYPES: Record<string, EventType> = {
  invoke: 'invoke',
  ok: 'ok',
  fail: 'fail',
  info: 'unknown',
  unknown: 'unknown',
};

interface RawEvent {
  process: unknown;
  type: unknown;
  f: unknown;
  key?: unknown;
  value: unknown;
  time?: unknown;
  error?: unknown;
}

/** Build an event from loosely typed fields; undefined for nemesis events. Throws naming the bad field. */
function build(raw: RawEvent): HistoryEvent | undefined {
  const { process } = raw;
  if (process instanceof Keyword) return undefined; // :nemesis and friends
  if (typeof process !== 'number' && typeof process !== 'string') throw new Error(`bad process ${show(process)}`);
  const typeName = nameOf(raw.type);
  let type = typeName === undefined ? undefined : TYPES[typeName];
  if (type === undefined) throw new Error(`bad type ${show(raw.type)} (expected invoke, ok, fail or info)`);
  const f = nameOf(raw.f);
  if (f === undefined) throw new Error(`bad f ${show(raw.f)}`);
  let value = plain(raw.value);
  let error = raw.error === undefined || raw.error === null ? undefined : (nameOf(raw.error) ?? show(plain(raw.error)));
  if (type !== 'invoke' && type !== 'ok' && value instanceof Keyword) {
    error ??= value.name;
    value = null;
  }
  if (type === 'fail' && error === 'timed-out') type = 'unknown';
  const event: { -readonly [K in keyof HistoryEvent]: HistoryEvent[K] } = { type, process, f, value };
  if (raw.key !== undefined && raw.key !== null) {
    const key = plain(raw.key);
    event.key = key instanceof Keyword ? key.name : typeof key === 'string' ? key : JSON.stringify(key);
  }
  if (typeof raw.time === 'number') event.time = raw.time;
  if (error !== undefined) event.error = error;
  return event;
}

function fromEdn(line: string): HistoryEvent | undefined {
  let parsed: EdnValue;
  try {
    parsed = parseEdn(line);
  } catch (error) {
    throw error instanceof EdnSyntaxError ? new Error(`EDN: ${error.message}`) : error;
  }
  if (!(parsed instanceof Map)) throw new Error('expected one EDN map per line');
  const field = (name: string): unknown => parsed.get(Keyword.of(name)) ?? undefined;
  if (!parsed.has(Keyword.of('process'))) throw new Error('missing :process');
  if (!parsed.has(Keyword.of('type'))) throw new Error('missing :type');
  if (!parsed.has(Keyword.of('f'))) throw new Error('missing :f');
  const time = field('time');
  // Jepsen's :time is nanoseconds since the test began; ours is milliseconds.
  return build({
    process: field('process'),
    type: field('type'),
    f: field('f'),
    key: field('key'),
    value: field('value') ?? null,
    time: typeof time === 'number' ? time / 1e6 : undefined,
    error: field('error'),
  });
}

function fromLog(line: string): HistoryEvent | undefined {
  const { process, type, f, value } = parseLogLine(line);
  return build({ process, type, f, value });
}

function fromJson(parsed: unknown): HistoryEvent | undefined {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object');
  const o = parsed as Record<string, unknown>;
  for (const name of ['process', 'type', 'f']) if (!(name in o)) throw new Error(`missing "${name}"`);
  return build({
    process: o.process,
    type: o.type,
    f: o.f,
    key: o.key,
    value: o.value ?? null,
    time: o.time,
    error: o.error,
  });
}

function nameOf(v: unknown): string | undefined {
  if (v instanceof Keyword) return v.name;
  if (typeof v === 'string') return v.startsWith(':') ? v.slice(1) : v;
  return undefined;
}

/** EDN collections as plain data: maps → objects, sets and lists → arrays; keywords stay. */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Set) return [...v].map(plain);
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) o[k instanceof Keyword ? k.name : String(k)] = plain(x);
    return o;
  }
  return v;
}

function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  return v instanceof Keyword ? v.toString() : JSON.stringify(v);
}
