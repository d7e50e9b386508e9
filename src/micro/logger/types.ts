/**
 * Logger: structured logging. A record is a level, a message and a flat object of fields.
 *
 * Contract. `child(fields)` returns a logger that adds `fields` to every record (the child's
 * fields win over the parent's on a clash). Records below the logger's level are dropped
 * without evaluating anything else. A logger never throws.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Readonly<Record<string, unknown>>;

export interface LogRecord {
  /** ms since epoch, from the logger's runtime clock. */
  readonly time: number;
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: LogFields;
}

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** Whether a record at `level` passes a logger set to `threshold`. */
export function enabled(level: LogLevel, threshold: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(threshold);
}
