/** The console logger: one JSON line per record on stderr-ish console methods. */
import { liveRuntime } from '../live.js';
import type { Clock } from '../runtime.js';
import { loggerFromSink } from './sink.js';
import type { Logger, LogLevel } from './types.js';

export const DEFAULT_LOG_LEVEL: LogLevel = 'warn';

export interface ConsoleLoggerOptions {
  /** Lowest level printed. Default: {@link DEFAULT_LOG_LEVEL}. */
  readonly level?: LogLevel;
  /** Where record times come from. Default: the live clock. */
  readonly clock?: Clock;
}

export function consoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  return loggerFromSink(
    (record) => {
      const line = JSON.stringify({ time: record.time, level: record.level, msg: record.message, ...record.fields });
      if (record.level === 'error') console.error(line);
      else if (record.level === 'warn') console.warn(line);
      else console.log(line);
    },
    { level: options.level ?? DEFAULT_LOG_LEVEL, clock: options.clock ?? liveRuntime.clock },
  );
}
