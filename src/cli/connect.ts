/**
 * Plugins for the service commands, loaded only when a command needs them (each plugin's client
 * library loads with it), closed together by `close()`.
 */
import type { Broker } from '../micro/broker/types.js';
import type { Client } from '../micro/client/types.js';
import { silentLogger } from '../micro/logger/index.js';
import type { Registry } from '../micro/registry/types.js';
import { createService } from '../micro/service/service.js';
import type { Store } from '../micro/store/types.js';
import type { BackendUrl } from './backend-args.js';

type Closable = { close(): Promise<void> | void };

export interface Connections {
  readonly registry?: Registry;
  readonly broker?: Broker;
  readonly store?: Store;
  /** A client over TCP that finds services through `registry`. */
  readonly client?: Client;
  close(): Promise<void>;
}

export async function openRegistry(backend: BackendUrl, prefix: string | undefined): Promise<Registry & Closable> {
  const options = { url: backend.url, ...(prefix === undefined ? {} : { prefix }) };
  if (backend.scheme === 'redis') return (await import('../plugins/redis/index.js')).redisRegistry(options);
  return (await import('../plugins/nats/index.js')).natsRegistry(options);
}

export async function openBroker(backend: BackendUrl, prefix: string | undefined): Promise<Broker> {
  const options = { url: backend.url, ...(prefix === undefined ? {} : { prefix }) };
  if (backend.scheme === 'redis') return (await import('../plugins/redis/index.js')).redisBroker(options);
  return (await import('../plugins/nats/index.js')).natsBroker(options);
}

/** `--prefix` as an SQL table prefix: lower case, `_` for anything but letters and digits, never a leading digit. */
export function sqlTablePrefix(prefix: string): string {
  const word = prefix.toLowerCase().replaceAll(/\W/g, '_');
  return /^\d/.test(word) ? `_${word}` : word;
}

export async function openStore(backend: BackendUrl, prefix: string | undefined): Promise<Store> {
  if (backend.scheme === 'redis')
    return (await import('../plugins/redis/index.js')).redisStore({
      url: backend.url,
      ...(prefix === undefined ? {} : { prefix }),
    });
  if (backend.scheme === 'nats')
    return (await import('../plugins/nats/index.js')).natsStore({
      url: backend.url,
      ...(prefix === undefined ? {} : { prefix }),
    });
  const tablePrefix = prefix === undefined ? {} : { tablePrefix: sqlTablePrefix(prefix) };
  if (backend.scheme === 'mysql' || backend.scheme === 'mariadb')
    return (await import('../plugins/mysql/index.js')).mysqlStore({ url: backend.url, ...tablePrefix });
  return (await import('../plugins/postgres/index.js')).postgresStore({
    url: backend.url,
    ...tablePrefix,
  });
}

export async function connect(options: {
  readonly registry?: BackendUrl;
  readonly broker?: BackendUrl;
  readonly store?: BackendUrl;
  readonly prefix: string | undefined;
  readonly client?: boolean;
}): Promise<Connections> {
  const opened: Closable[] = [];
  const registry = options.registry ? await openRegistry(options.registry, options.prefix) : undefined;
  if (registry) opened.push(registry);
  const broker = options.broker ? await openBroker(options.broker, options.prefix) : undefined;
  if (broker) opened.push(broker as unknown as Closable);
  const store = options.store ? await openStore(options.store, options.prefix) : undefined;
  if (store?.close) opened.push(store as Closable);
  let client: Client | undefined;
  if (options.client && registry) {
    const { tcpTransport } = await import('../plugins/tcp/index.js');
    const transport = tcpTransport();
    const service = createService({
      name: 'microcosm-cli',
      registry,
      transport,
      ...(broker ? { broker } : {}),
      logger: silentLogger,
      health: false,
      client: { retries: 0 },
    });
    client = service.client;
    opened.unshift({ close: () => service.stop() }, transport as unknown as Closable);
  }
  return {
    ...(registry ? { registry } : {}),
    ...(broker ? { broker } : {}),
    ...(store ? { store } : {}),
    ...(client ? { client } : {}),
    async close() {
      for (const item of opened) await Promise.resolve(item.close?.()).catch(() => {});
    },
  };
}
