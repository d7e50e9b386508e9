/**
 * The Redis {@link Registry}: nodes as keys with native expiry, indexed per service.
 *
 * Layout (readable with any Redis client):
 * - `<prefix>:registry:node:<name>:<version>:<nodeId>` — a JSON string
 *   `{ service: {name, version, metadata, endpoints}, node, seq }` with PEXPIRE = the TTL, so a
 *   node nobody refreshes disappears on the server's clock;
 * - `<prefix>:registry:index:<name>` — a set of that service's node keys; members whose key has
 *   expired are dropped lazily on read;
 * - `<prefix>:registry:names` — a set of service names;
 * - changes are announced on the channel `<prefix>:registry:changes` (payload: the name).
 *
 * A version's metadata and endpoints are those of its most recent registration (`seq`).
 * `watch` lives in `registry-watch.ts`.
 */
import { badRequest } from '../../micro/errors.js';
import type { RegisterOptions, Registry, Service, WatchOptions } from '../../micro/registry/types.js';
import { attempt, openRedis, type RedisOptions, resolveRedisOptions } from './connection.js';
import { watchRegistry } from './registry-watch.js';

export interface RedisRegistryOptions extends RedisOptions {
  /** TTL of nodes registered without one, in ms. Default: {@link DEFAULT_REDIS_REGISTRY_TTL_MS}. */
  readonly defaultTtlMs?: number;
  /** How often a watch re-reads the registry to notice expiries. Default: {@link DEFAULT_WATCH_POLL_MS}. */
  readonly watchPollMs?: number;
}

export const DEFAULT_REDIS_REGISTRY_TTL_MS = 30_000;
export const DEFAULT_WATCH_POLL_MS = 1_000;

interface NodeRecord {
  readonly service: Omit<Service, 'nodes'>;
  readonly node: Service['nodes'][number];
  readonly seq: number;
}

export function redisRegistry(options: RedisRegistryOptions = {}): Registry & { close(): Promise<void> } {
  const config = resolveRedisOptions(options);
  const defaultTtlMs = options.defaultTtlMs ?? DEFAULT_REDIS_REGISTRY_TTL_MS;
  if (!(defaultTtlMs > 0)) throw badRequest(`redisRegistry: defaultTtlMs must be > 0, got ${defaultTtlMs}`);
  const watchPollMs = options.watchPollMs ?? DEFAULT_WATCH_POLL_MS;
  if (!(watchPollMs > 0)) throw badRequest(`redisRegistry: watchPollMs must be > 0, got ${watchPollMs}`);
  const connection = openRedis(config);
  const { redis } = connection;
  const base = `${config.prefix}:registry`;
  const channel = `${base}:changes`;
  const nodeKey = (s: Service, id: string) => `${base}:node:${s.name}:${s.version}:${id}`;
  const indexKey = (name: string) => `${base}:index:${name}`;
  const watches = new Set<AbortController>();

  async function getService(name: string): Promise<Service[]> {
    const keys = await attempt('registry get', () => redis.smembers(indexKey(name)));
    if (keys.length === 0) return [];
    const values = await attempt('registry get', () => redis.mget(...keys));
    const gone = keys.filter((_, i) => values[i] == null);
    if (gone.length > 0) await attempt('registry get', () => redis.srem(indexKey(name), ...gone));
    return assemble(values.flatMap((v) => (v == null ? [] : [JSON.parse(v) as NodeRecord])));
  }

  async function listServices(): Promise<Service[]> {
    const names = (await attempt('registry list', () => redis.smembers(`${base}:names`))).sort();
    const services = await Promise.all(names.map(getService));
    const empty = names.filter((_, i) => services[i]?.length === 0);
    if (empty.length > 0) await attempt('registry list', () => redis.srem(`${base}:names`, ...empty));
    return services.flat();
  }

  return {
    name: 'redis',

    async register(service: Service, registerOptions: RegisterOptions = {}) {
      const ttlMs = registerOptions.ttlMs ?? defaultTtlMs;
      if (!service.name) throw badRequest('register: service.name must be non-empty');
      if (!(ttlMs > 0)) throw badRequest(`register: ttlMs must be > 0, got ${ttlMs}`);
      if (!Number.isFinite(ttlMs)) throw badRequest(`register: ttlMs must be finite, got ${ttlMs}`);
      const { nodes: _nodes, ...bare } = service;
      const seq = await attempt('registry register', () => redis.incr(`${base}:seq`));
      const multi = redis.multi();
      for (const node of service.nodes) {
        const record: NodeRecord = { service: bare, node, seq };
        multi.set(nodeKey(service, node.id), JSON.stringify(record), 'PX', Math.ceil(ttlMs));
        multi.sadd(indexKey(service.name), nodeKey(service, node.id));
      }
      multi.sadd(`${base}:names`, service.name).publish(channel, service.name);
      await attempt('registry register', () => multi.exec());
    },

    async deregister(service: Service) {
      if (service.nodes.length === 0) return;
      const keys = service.nodes.map((node) => nodeKey(service, node.id));
      await attempt('registry deregister', () =>
        redis
          .multi()
          .del(...keys)
          .srem(indexKey(service.name), ...keys)
          .publish(channel, service.name)
          .exec(),
      );
    },

    getService,
    listServices,

    watch(watchOptions: WatchOptions = {}) {
      const stop = new AbortController();
      watches.add(stop);
      const signal = watchOptions.signal ? AbortSignal.any([watchOptions.signal, stop.signal]) : stop.signal;
      return watchRegistry({
        subscriber: connection.duplicate(),
        channel,
        read: watchOptions.service === undefined ? listServices : () => getService(watchOptions.service as string),
        service: watchOptions.service,
        pollMs: watchPollMs,
        signal,
        onEnd: () => watches.delete(stop),
      });
    },

    async close() {
      for (const stop of watches) stop.abort();
      await connection.close();
    },
  };
}

/** Group node records into one service per version, nodes ordered by id. */
function assemble(records: NodeRecord[]): Service[] {
  const versions = new Map<string, { latest: NodeRecord; nodes: Service['nodes'][number][] }>();
  for (const record of records) {
    const entry = versions.get(record.service.version);
    if (entry === undefined) versions.set(record.service.version, { latest: record, nodes: [record.node] });
    else {
      entry.nodes.push(record.node);
      if (record.seq > entry.latest.seq) entry.latest = record;
    }
  }
  return [...versions.values()]
    .sort((a, b) => a.latest.service.version.localeCompare(b.latest.service.version))
    .map(({ latest, nodes }) => ({ ...latest.service, nodes: nodes.sort((a, b) => a.id.localeCompare(b.id)) }));
}
