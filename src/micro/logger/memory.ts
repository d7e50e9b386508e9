/** A logger that keeps its records in memory: for tests and for simulated nodes' traces. */
import type { Clock } from '../runtime.js';
import { loggerFromSink } from './sink.js';
import type { Logger, LogLevel, LogRecord } from './types.js';

export interface MemoryLogger extends Logger {
  readonly records: readonly LogRecord[];
}

export function memoryLogger(options: { readonly level?: LogLevel; readonly clock?: Clock } = {}): MemoryLogger {
  const records: LogRecord[] = [];
  const logger = loggerFromSink((record) => records.push(record), {
    level: options.level ?? 'debug',
    clock: options.clock ?? { now: () => 0 },
  });
  return Object.assign(logger, { records });
}

/** A logger that drops everything. */
export const silentLogger: Logger = loggerFromSink(() => {}, { level: 'error', clock: { now: () => 0 } });
