/** createService: wire a server, a client and the plugins into one {@link MicroService}. */
import type { Auth } from '../auth/types.js';
import type { Broker } from '../broker/types.js';
import type { Cache } from '../cache/types.js';
import { RpcClient } from '../client/client.js';
import type { ClientOptions } from '../client/options.js';
import type { ClientWrapper } from '../client/types.js';
import { Codecs } from '../codec/codecs.js';
import type { Config } from '../config/types.js';
import type { Events } from '../events/types.js';
import { healthHandler } from '../health/handler.js';
import { callStats } from '../health/stats.js';
import { liveRuntime } from '../live.js';
import { consoleLogger } from '../logger/console.js';
import type { Logger } from '../logger/types.js';
import type { Metadata } from '../metadata/types.js';
import type { Registry } from '../registry/types.js';
import type { Runtime } from '../runtime.js';
import { createSelector } from '../selector/selector.js';
import type { Selector, Strategy } from '../selector/types.js';
import type { ServerOptions } from '../server/options.js';
import { RpcServer } from '../server/server.js';
import type { HandlerWrapper } from '../server/types.js';
import type { Store } from '../store/types.js';
import type { Sync } from '../sync/types.js';
import type { Transport } from '../transport/types.js';
import { inProcessDefaults } from './defaults.js';
import type { MicroService } from './types.js';

/** Client call defaults a service may set (each defaults as in ClientOptions). */
export type ServiceClientOptions = Pick<
  ClientOptions,
  'timeoutMs' | 'retries' | 'backoff' | 'breaker' | 'contentType' | 'metadata' | 'streamWindow'
>;

export interface ServiceOptions {
  /** Required: the name callers use. */
  readonly name: string;
  readonly version?: string; // default: 'latest'
  readonly metadata?: Metadata; // default: none
  readonly runtime?: Runtime; // default: liveRuntime
  /** Default: the in-process memory registry shared by services on the same runtime. */
  readonly registry?: Registry;
  /** Default: the in-process memory transport shared by services on the same runtime. */
  readonly transport?: Transport;
  /** Default: a registry selector using `strategy`. */
  readonly selector?: Selector;
  readonly strategy?: Strategy; // default: 'random'
  readonly codecs?: Codecs; // default: JSON + MessagePack
  readonly logger?: Logger; // default: consoleLogger() at 'warn'
  /** Default: the in-process memory broker shared by services on the same runtime. */
  readonly broker?: Broker;
  readonly events?: Events;
  readonly store?: Store;
  readonly cache?: Cache;
  readonly sync?: Sync;
  readonly auth?: Auth;
  readonly config?: Config;
  /** Server settings (address, registerTtlMs, registerIntervalMs, drainTimeoutMs, nodeId, streamWindow). */
  readonly server?: Pick<
    ServerOptions,
    'address' | 'registerTtlMs' | 'registerIntervalMs' | 'drainTimeoutMs' | 'nodeId' | 'streamWindow'
  >;
  readonly client?: ServiceClientOptions;
  /** Wrap every outgoing call, outermost first. Default: none. */
  readonly clientWrappers?: readonly ClientWrapper[];
  /** Wrap every handler invocation, outermost first. Default: none. */
  readonly handlerWrappers?: readonly HandlerWrapper[];
  /** Serve `Health.Check` (src/micro/health) and count calls for it. Default: true. */
  readonly health?: boolean;
}

export function createService(options: ServiceOptions): MicroService {
  const runtime = options.runtime ?? liveRuntime;
  const defaults = () => inProcessDefaults(runtime);
  const registry = options.registry ?? defaults().registry;
  const transport = options.transport ?? defaults().transport;
  const broker = options.broker ?? defaults().broker;
  const logger = (options.logger ?? consoleLogger({ clock: runtime.clock })).child({ service: options.name });
  const codecs = options.codecs ?? new Codecs();
  const selector =
    options.selector ??
    createSelector({ registry, runtime, ...(options.strategy === undefined ? {} : { strategy: options.strategy }) });
  const optional = {
    ...(options.events === undefined ? {} : { events: options.events }),
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.cache === undefined ? {} : { cache: options.cache }),
    ...(options.sync === undefined ? {} : { sync: options.sync }),
    ...(options.auth === undefined ? {} : { auth: options.auth }),
    ...(options.config === undefined ? {} : { config: options.config }),
  };
  const health = options.health ?? true;
  const stats = health ? callStats(runtime) : undefined;
  const server = new RpcServer({
    ...options.server,
    name: options.name,
    transport,
    registry,
    runtime,
    codecs,
    logger,
    wrappers: options.handlerWrappers ?? [],
    ...(stats === undefined ? {} : { recorder: stats.recorder }),
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
    broker,
  });
  const client = new RpcClient({
    ...options.client,
    name: options.name,
    transport,
    selector,
    runtime,
    codecs,
    logger,
    wrappers: options.clientWrappers ?? [],
    broker,
  });
  let ownHealth = false; // a service that handles 'Health' itself keeps its own
  const service: MicroService = {
    name: options.name,
    version: options.version ?? 'latest',
    runtime,
    registry,
    transport,
    selector,
    codecs,
    logger,
    broker,
    ...optional,
    server,
    client,
    handle(name, handler, handleOptions) {
      if (name === 'Health') ownHealth = true;
      server.handle(name, handler, handleOptions);
      return this;
    },
    subscribe(topic, subscriber, subscriberOptions) {
      server.subscribe(topic, subscriber, subscriberOptions);
      return this;
    },
    start() {
      if (stats && !ownHealth) {
        ownHealth = true;
        const identity = { service: options.name, version: options.version ?? 'latest', server, runtime };
        server.handle('Health', healthHandler(identity, stats));
      }
      return server.start();
    },
    async stop() {
      await server.stop();
      await client.close();
      if (options.selector === undefined) selector.close();
    },
  };
  return service;
}
