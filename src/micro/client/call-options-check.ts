/**
 * Per-call options are checked before a call leaves the client: a bad value fails that call
 * alone with BAD_REQUEST naming the option and the value, instead of travelling on (a `to: NaN`
 * header the server cannot parse, an infinite timeout that fires at once, `retries: NaN` taken
 * as zero). The check runs outside every wrapper, so wrappers only ever see valid options.
 */
import { badRequest, type MicroError } from '../errors.js';
import { STRATEGIES } from '../selector/types.js';
import type { CallOptions, ClientRequest, Invoke } from './types.js';

/** The largest timer delay Node honours (2^31 − 1 ms, ~24.8 days); longer fires at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The first problem with `options`, or undefined when they are all valid. */
export function callOptionsProblem(options: CallOptions): MicroError | undefined {
  const problem =
    duration('timeoutMs', options.timeoutMs) ??
    duration('attemptTimeoutMs', options.attemptTimeoutMs) ??
    finite('deadline', options.deadline, 0) ??
    count('retries', options.retries) ??
    finite('backoff.baseMs', options.backoff?.baseMs, 0) ??
    finite('backoff.maxMs', options.backoff?.maxMs, 0) ??
    text('contentType', options.contentType) ??
    text('address', options.address) ??
    (options.key === undefined || typeof options.key === 'string' ? undefined : `key must be a string`) ??
    strategy(options.strategy) ??
    metadata(options.metadata);
  return problem === undefined ? undefined : badRequest(`call option ${problem}`, { id: 'client' });
}

/** Wrap `invoke` so that a request with bad options is refused before it runs. */
export function checkingCallOptions(invoke: Invoke): Invoke {
  return (request: ClientRequest) => {
    const problem = callOptionsProblem(request.options);
    return problem === undefined ? invoke(request) : Promise.reject(problem);
  };
}

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

function finite(name: string, value: number | undefined, min: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    return `${name} must be a finite number >= ${min}, got ${show(value)}`;
  }
  return undefined;
}

function duration(name: string, value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMEOUT_MS) {
    return `${name} must be a number of milliseconds in (0, ${MAX_TIMEOUT_MS}], got ${show(value)}`;
  }
  return undefined;
}

function count(name: string, value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    return `${name} must be an integer >= 0, got ${show(value)}`;
  }
  return undefined;
}

function text(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' && value !== ''
    ? undefined
    : `${name} must be a non-empty string, got ${show(value)}`;
}

function strategy(value: string | undefined): string | undefined {
  if (value === undefined || (STRATEGIES as readonly string[]).includes(value)) return undefined;
  return `strategy must be one of ${STRATEGIES.join(', ')}, got ${show(value)}`;
}

function metadata(value: CallOptions['metadata']): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return `metadata must be an object of strings, got ${show(value)}`;
  for (const key in value) {
    const v: unknown = value[key];
    if (typeof v !== 'string') return `metadata.${key} must be a string, got ${show(v)}`;
  }
  return undefined;
}
