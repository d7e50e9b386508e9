/**
 * Strict flag parsing for every subcommand (node:util parseArgs): an unknown flag or a missing
 * value is a {@link UsageError} that names it and, for a typo, offers the closest known flag.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { suggestion } from './did-you-mean.js';
import { UsageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;
/** What {@link parseFlags} returns: parseArgs' own result type, named so declarations can be emitted. */
type ParsedFlags<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

export function parseFlags<const T extends Options>(argv: readonly string[], options: T): ParsedFlags<T> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('. ')[0] ?? error.message) : String(error);
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    const known = Object.keys(options).map((name) => `--${name}`);
    throw new UsageError(unknown === undefined ? message : `${message}${suggestion(unknown, known)}`);
  }
}

/** An integer flag value ≥ `min`, or undefined when the flag was not given. */
export function integerFlag(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value) || value < min)
    throw new UsageError(`${flag}: expected an integer ≥ ${min}, got "${text}"`);
  return value;
}
