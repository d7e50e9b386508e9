/**
 * Build a {@link Logger} from a sink that receives finished records: the level filter, the
 * convenience methods and `child` are written once here for every logger implementation.
 */
import type { Clock } from '../runtime.js';
import { enabled, type LogFields, type Logger, type LogLevel, type LogRecord } from './types.js';

export function loggerFromSink(
  sink: (record: LogRecord) => void,
  options: { readonly level: LogLevel; readonly clock: Clock; readonly fields?: LogFields },
): Logger {
  const base = options.fields ?? {};
  const log = (level: LogLevel, message: string, fields?: LogFields) => {
    if (!enabled(level, options.level)) return;
    try {
      sink({ time: options.clock.now(), level, message, fields: fields === undefined ? base : { ...base, ...fields } });
    } catch {
      // A logger never throws into the code that logs.
    }
  };
  return {
    log,
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    child: (fields) => loggerFromSink(sink, { ...options, fields: { ...base, ...fields } }),
  };
}
