/**
 * The `jepsen.util` log line form: `INFO  jepsen.util - 3	:invoke	:cas	[1 4]` — process,
 * type, operation and value separated by tabs, the value in EDN. Other log lines (the rest of
 * a Jepsen run's output) are not history and are skipped; a `jepsen.util` line that does not
 * parse is malformed.
 */
import { type EdnValue, parseEdn } from './edn.js';

const LINE = /jepsen\.util\s+-\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/;

/** The four fields of one log line, values still in EDN form. */
export interface LogFields {
  readonly process: EdnValue;
  readonly type: EdnValue;
  readonly f: EdnValue;
  readonly value: EdnValue;
}

/** True when the line belongs to the history (mentions `jepsen.util -`). */
export function isLogLine(line: string): boolean {
  return /jepsen\.util\s+-\s/.test(line);
}

/** Split and read one `jepsen.util` line; throws with what is wrong. */
export function parseLogLine(line: string): LogFields {
  const m = LINE.exec(line.trimEnd());
  if (!m) throw new Error('expected "jepsen.util - PROCESS :TYPE :F VALUE"');
  const [, process, type, f, value] = m;
  return {
    process: parseEdn(process as string),
    type: parseEdn(type as string),
    f: parseEdn(f as string),
    value: value === undefined || value.trim() === '' ? null : parseEdn(value),
  };
}

/** Format one event as a `jepsen.util` line. */
export function formatLogLine(process: string, type: string, f: string, value: string): string {
  return `INFO  jepsen.util - ${process}\t:${type}\t:${f}\t${value}`;
}
