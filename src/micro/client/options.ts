/** Client options in, total client config out (validated eagerly, naming the bad property). */
import type { Broker } from '../broker/types.js';
import { Codecs, DEFAULT_CONTENT_TYPE } from '../codec/codecs.js';
import { badRequest } from '../errors.js';
import { liveRuntime } from '../live.js';
import { consoleLogger } from '../logger/console.js';
import type { Logger } from '../logger/types.js';
import type { Metadata } from '../metadata/types.js';
import type { Registry } from '../registry/types.js';
import type { Runtime } from '../runtime.js';
import { createSelector } from '../selector/selector.js';
import type { Selector } from '../selector/types.js';
import type { Transport } from '../transport/types.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { type BreakerOptions, DEFAULT_BREAKER } from './breaker.js';
import type { BackoffOptions, ClientWrapper } from './types.js';

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_RETRIES = 1;

export interface ClientOptions {
  /** The transport calls travel on. Required. */
  readonly transport: Transport;
  /** Where services are looked up. Required unless a selector is given. */
  readonly registry?: Registry;
  /** Default: a registry selector over `registry` with the random strategy. */
  readonly selector?: Selector;
  /** The calling service's name, used as the id of errors the client raises. Default: 'client'. */
  readonly name?: string;
  readonly runtime?: Runtime; // default: liveRuntime
  readonly codecs?: Codecs; // default: JSON + MessagePack
  readonly logger?: Logger; // default: consoleLogger()
  /** Needed by `publish`. Default: none. */
  readonly broker?: Broker;
  readonly contentType?: string; // default: DEFAULT_CONTENT_TYPE ('application/json')
  readonly timeoutMs?: number; // default: DEFAULT_TIMEOUT_MS
  readonly retries?: number; // default: DEFAULT_RETRIES
  readonly backoff?: BackoffOptions; // default: DEFAULT_BACKOFF
  readonly breaker?: BreakerOptions; // default: DEFAULT_BREAKER
  /** Sent with every call. Default: none. */
  readonly metadata?: Metadata;
  /** Outermost first. Default: none. */
  readonly wrappers?: readonly ClientWrapper[];
  /** Receive window per stream, in messages. Default: the mux default (16). */
  readonly streamWindow?: number;
}

export function resolveClientOptions(options: ClientOptions) {
  const runtime = options.runtime ?? liveRuntime;
  if (options.selector === undefined && options.registry === undefined) {
    throw badRequest('client: give a `registry` or a `selector`');
  }
  const config = {
    transport: options.transport,
    selector: options.selector ?? createSelector({ registry: options.registry!, runtime }),
    ownsSelector: options.selector === undefined,
    name: options.name ?? 'client',
    runtime,
    codecs: options.codecs ?? new Codecs(),
    logger: options.logger ?? consoleLogger({ clock: runtime.clock }),
    broker: options.broker,
    contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: options.retries ?? DEFAULT_RETRIES,
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    breaker: { ...DEFAULT_BREAKER, ...options.breaker },
    metadata: options.metadata ?? {},
    wrappers: options.wrappers ?? [],
    streamWindow: options.streamWindow,
  };
  config.codecs.forContentType(config.contentType); // unknown content type: fail now, naming it
  checkNumber('timeoutMs', config.timeoutMs, 1);
  checkNumber('retries', config.retries, 0, true);
  checkNumber('backoff.baseMs', config.backoff.baseMs, 0);
  checkNumber('backoff.maxMs', config.backoff.maxMs, 0);
  checkNumber('breaker.failures', config.breaker.failures, 1, true);
  checkNumber('breaker.cooldownMs', config.breaker.cooldownMs, 0);
  return config;
}

export type ClientConfig = ReturnType<typeof resolveClientOptions>;

export function checkNumber(name: string, value: number, min: number, integer = false): void {
  if (typeof value !== 'number' || !(value >= min) || (integer && !Number.isInteger(value))) {
    throw badRequest(`${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${String(value)}`);
  }
}
