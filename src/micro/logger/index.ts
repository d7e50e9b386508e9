export { type ConsoleLoggerOptions, consoleLogger, DEFAULT_LOG_LEVEL } from './console.js';
export { type MemoryLogger, memoryLogger, silentLogger } from './memory.js';
export { loggerFromSink } from './sink.js';
export { enabled, LOG_LEVELS, type LogFields, type Logger, type LogLevel, type LogRecord } from './types.js';
