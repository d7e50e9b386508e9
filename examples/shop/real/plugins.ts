/**
 * The shop's real plugins: TCP between processes, the NATS (KV) registry, Redis locks and broker
 * (Streams, for at-least-once notifications), the PostgreSQL store — each found through MICROCOSM_<NAME>_URL or its local port. A run
 * keeps its data under its own `prefix`, so runs never see each other's records.
 */
import { liveRuntime, type ServiceOptions, type Store, type Sync, silentLogger } from '@microcosm-ts/core';
import { DEFAULT_NATS_URL, natsRegistry } from '@microcosm-ts/core/plugins/nats';
import { DEFAULT_POSTGRES_URL, postgresStore } from '@microcosm-ts/core/plugins/postgres';
import { DEFAULT_REDIS_URL, redisBroker, redisSync } from '@microcosm-ts/core/plugins/redis';
import { tcpTransport } from '@microcosm-ts/core/plugins/tcp';

export const SKUS = ['sku-0', 'sku-1', 'sku-2'];
export const INITIAL_STOCK = 5;

export interface RealPlugins extends Omit<ServiceOptions, 'name'> {
  readonly runtime: typeof liveRuntime;
  readonly store: Store;
  readonly sync: Sync;
  close(): Promise<void>;
}

/** Where the backends are: `MICROCOSM_<NAME>_URL`, else the local default port. */
export const URLS = {
  nats: process.env.MICROCOSM_NATS_URL ?? DEFAULT_NATS_URL,
  postgres: process.env.MICROCOSM_POSTGRES_URL ?? DEFAULT_POSTGRES_URL,
  redis: process.env.MICROCOSM_REDIS_URL ?? DEFAULT_REDIS_URL,
} as const;

/** Plugins for one process of the shop run `prefix` (letters, digits and `_`). */
export function realPlugins(prefix: string, node: string): RealPlugins {
  const registry = natsRegistry({ url: URLS.nats, prefix, watchPollMs: 200 });
  const store = postgresStore({ url: URLS.postgres, tablePrefix: prefix, runtime: liveRuntime });
  const sync = redisSync({ url: URLS.redis, prefix: `${prefix}:sync`, holder: node });
  const broker = redisBroker({ url: URLS.redis, prefix: `${prefix}:broker` }); // Streams: notifications need at-least-once
  return {
    runtime: liveRuntime,
    registry,
    transport: tcpTransport(),
    server: { address: '127.0.0.1:0', registerTtlMs: 5_000, registerIntervalMs: 1_000 },
    store,
    sync,
    broker,
    logger: silentLogger,
    async close() {
      await broker.close();
      await registry.close();
      await store.close?.();
    },
  };
}
