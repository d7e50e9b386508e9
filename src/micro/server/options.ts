/** Server options in, total server config out (validated eagerly, naming the bad property). */
import type { Broker } from '../broker/types.js';
import { checkNumber } from '../client/options.js';
import { Codecs } from '../codec/codecs.js';
import { badRequest } from '../errors.js';
import { liveRuntime } from '../live.js';
import { consoleLogger } from '../logger/console.js';
import type { Logger } from '../logger/types.js';
import type { Metadata } from '../metadata/types.js';
import type { Registry } from '../registry/types.js';
import type { Runtime } from '../runtime.js';
import type { Transport } from '../transport/types.js';
import type { CallRecorder, HandlerWrapper } from './types.js';

export const DEFAULT_VERSION = 'latest';
export const DEFAULT_REGISTER_TTL_MS = 30_000;
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

export interface ServerOptions {
  /** The service name callers use. Required. */
  readonly name: string;
  readonly transport: Transport;
  readonly registry: Registry;
  readonly version?: string; // default: DEFAULT_VERSION
  readonly metadata?: Metadata; // default: none
  /** Address to listen on. Default: '' (the transport picks one). */
  readonly address?: string;
  /** Node id in the registry. Default: `<name>-<random>` drawn from the runtime. */
  readonly nodeId?: string;
  readonly runtime?: Runtime; // default: liveRuntime
  readonly codecs?: Codecs; // default: JSON + MessagePack
  readonly logger?: Logger; // default: consoleLogger()
  /** Needed by subscribers. Default: none. */
  readonly broker?: Broker;
  readonly registerTtlMs?: number; // default: DEFAULT_REGISTER_TTL_MS
  /** Default: a third of registerTtlMs. */
  readonly registerIntervalMs?: number;
  readonly drainTimeoutMs?: number; // default: DEFAULT_DRAIN_TIMEOUT_MS
  /** Outermost first. Default: none. */
  readonly wrappers?: readonly HandlerWrapper[];
  /** Told of each call, outside the wrappers (the health stats). Default: none. */
  readonly recorder?: CallRecorder;
  /** Receive window per stream, in messages. Default: the mux default (16). */
  readonly streamWindow?: number;
}

export function resolveServerOptions(options: ServerOptions) {
  if (typeof options.name !== 'string' || options.name === '') throw badRequest('server: `name` must be non-empty');
  const runtime = options.runtime ?? liveRuntime;
  const registerTtlMs = options.registerTtlMs ?? DEFAULT_REGISTER_TTL_MS;
  const config = {
    name: options.name,
    transport: options.transport,
    registry: options.registry,
    version: options.version ?? DEFAULT_VERSION,
    metadata: options.metadata ?? {},
    address: options.address ?? '',
    nodeId: options.nodeId,
    runtime,
    codecs: options.codecs ?? new Codecs(),
    logger: options.logger ?? consoleLogger({ clock: runtime.clock }),
    broker: options.broker,
    registerTtlMs,
    registerIntervalMs: options.registerIntervalMs ?? registerTtlMs / 3,
    drainTimeoutMs: options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
    wrappers: options.wrappers ?? [],
    recorder: options.recorder,
    streamWindow: options.streamWindow,
  };
  checkNumber('registerTtlMs', config.registerTtlMs, 1);
  checkNumber('registerIntervalMs', config.registerIntervalMs, 1);
  if (config.registerIntervalMs >= config.registerTtlMs) {
    throw badRequest(
      `registerIntervalMs (${config.registerIntervalMs}) must be below registerTtlMs (${config.registerTtlMs})`,
    );
  }
  checkNumber('drainTimeoutMs', config.drainTimeoutMs, 0);
  return config;
}

export type ServerConfig = ReturnType<typeof resolveServerOptions>;
