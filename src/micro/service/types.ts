/**
 * MicroService: a named, versioned service — its server (handlers, subscribers, registration),
 * its client (calls to other services) and the plugins both use.
 *
 * Contract. `createService` wires every plugin, defaulting each to an in-process memory
 * implementation. `start()` starts the server (listen, register, subscribe); `stop()` drains the
 * server gracefully and then closes the client. Handlers and subscribers are added before start.
 */
import type { Auth } from '../auth/types.js';
import type { Broker } from '../broker/types.js';
import type { Cache } from '../cache/types.js';
import type { Client } from '../client/types.js';
import type { Codecs } from '../codec/codecs.js';
import type { Config } from '../config/types.js';
import type { Events } from '../events/types.js';
import type { Logger } from '../logger/types.js';
import type { Registry } from '../registry/types.js';
import type { Runtime } from '../runtime.js';
import type { Selector } from '../selector/types.js';
import type { HandleOptions, Server, Subscriber, SubscriberOptions } from '../server/types.js';
import type { Store } from '../store/types.js';
import type { Sync } from '../sync/types.js';
import type { Transport } from '../transport/types.js';

/** The plugins a service runs with. The optional ones are present when given to createService. */
export interface ServicePlugins {
  readonly runtime: Runtime;
  readonly registry: Registry;
  readonly transport: Transport;
  readonly selector: Selector;
  readonly codecs: Codecs;
  readonly logger: Logger;
  readonly broker: Broker;
  readonly events?: Events;
  readonly store?: Store;
  readonly cache?: Cache;
  readonly sync?: Sync;
  readonly auth?: Auth;
  readonly config?: Config;
}

export interface MicroService extends ServicePlugins {
  readonly name: string;
  readonly version: string;
  readonly server: Server;
  readonly client: Client;
  /** Shorthand for `server.handle`. */
  handle(name: string, handler: object, options?: HandleOptions): this;
  /** Shorthand for `server.subscribe`. */
  subscribe<T = unknown>(topic: string, subscriber: Subscriber<T>, options?: SubscriberOptions): this;
  start(): Promise<void>;
  stop(): Promise<void>;
}
