/**
 * The NATS {@link Registry}, on a JetStream KV bucket `<PREFIX>_registry`.
 *
 * Layout: each node of each service version is one key `svc.<name>.<version>.<node id>` (each
 * part escaped by {@link jetStreamName}) holding JSON `{service, node, expiresAt}`. NATS 2.9 KV
 * has no per-key TTL, so a node's expiry is written with it (on the registering runtime's clock)
 * and readers skip — and lazily delete — expired nodes. `watch` re-reads and diffs the live set
 * whenever the bucket's KV watch reports a change, and every `watchPollMs` to notice expiries.
 */
import type { JetStreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { badRequest, unavailable } from '../../micro/errors.js';
import { liveRuntime } from '../../micro/live.js';
import type {
  RegisterOptions,
  Registry,
  RegistryEvent,
  Service,
  ServiceNode,
  WatchOptions,
} from '../../micro/registry/types.js';
import type { Runtime } from '../../micro/runtime.js';
import { jetstreamManager, Kvm } from './client.js';
import { attempt, lazyConnection, type NatsOptions, resolveNatsOptions } from './connection.js';
import { jetStreamName } from './names.js';

export interface NatsRegistryOptions extends NatsOptions {
  /** TTL of nodes registered without one. Default: {@link DEFAULT_NATS_REGISTRY_TTL_MS}. */
  readonly ttlMs?: number;
  /** How often a watch re-reads to notice expiries. Default: {@link DEFAULT_NATS_WATCH_POLL_MS}. */
  readonly watchPollMs?: number;
  /** Clock for expiry, timers for watch polling. Default: liveRuntime. */
  readonly runtime?: Runtime;
}

export const DEFAULT_NATS_REGISTRY_TTL_MS = 30_000;
export const DEFAULT_NATS_WATCH_POLL_MS = 1_000;

interface Stored {
  readonly service: Omit<Service, 'nodes'>;
  readonly node: ServiceNode;
  readonly expiresAt: number;
}

const keyOf = (name: string, version?: string, node?: string) =>
  ['svc', name, version, node]
    .filter((part) => part !== undefined)
    .map((part, i) => (i === 0 ? part : jetStreamName(part)))
    .join('.');

export function natsRegistry(options: NatsRegistryOptions = {}): Registry & { close(): Promise<void> } {
  const config = resolveNatsOptions(options);
  const runtime = options.runtime ?? liveRuntime;
  const defaultTtl = options.ttlMs ?? DEFAULT_NATS_REGISTRY_TTL_MS;
  const pollMs = options.watchPollMs ?? DEFAULT_NATS_WATCH_POLL_MS;
  const connection = lazyConnection(config);
  const bucketName = `${jetStreamName(config.prefix)}_registry`;
  let kv: Promise<KV> | undefined;
  let manager: Promise<JetStreamManager> | undefined;
  let closed = false;
  const bucket = () => {
    if (closed) return Promise.reject(unavailable('nats registry is closed'));
    kv ??= attempt('open bucket', async () => new Kvm(await connection()).create(bucketName, { history: 1 }));
    kv.catch(() => {
      kv = undefined;
    });
    return kv;
  };

  /** Live services under `filter`, grouped by (name, version) in a stable order. */
  const read = async (filter: string): Promise<Service[]> => {
    const store = await bucket();
    const now = runtime.clock.now();
    // The keys come from the stream's subject list, not `KV.keys()`: with history 1 a write during
    // `keys()` replaces a message its consumer still counts as pending, so it repeats keys or hangs.
    const keys = await attempt('read', async () => {
      const subject = `$KV.${bucketName}.`;
      const jsm = await (manager ??= connection().then((nc) => jetstreamManager(nc)));
      const info = await jsm.streams.info(`KV_${bucketName}`, { subjects_filter: `${subject}${filter}` });
      return Object.keys(info.state.subjects ?? {}).map((s) => s.slice(subject.length));
    });
    // A version is described by its most recent registration: the entry with the highest revision.
    const grouped = new Map<string, { service: Stored['service']; revision: number; nodes: ServiceNode[] }>();
    for (const key of keys.sort()) {
      const entry = await attempt('read', () => store.get(key));
      if (entry?.operation !== 'PUT') continue;
      const stored = entry.json<Stored>();
      if (stored.expiresAt <= now) {
        await store.delete(key, { previousSeq: entry.revision }).catch(() => undefined);
        continue;
      }
      const id = `${stored.service.name}\u0000${stored.service.version}`;
      const group = grouped.get(id) ?? { service: stored.service, revision: entry.revision, nodes: [] };
      if (entry.revision > group.revision) Object.assign(group, { service: stored.service, revision: entry.revision });
      group.nodes.push(stored.node);
      grouped.set(id, group);
    }
    return [...grouped.values()].map(({ service, nodes }) => ({ ...service, nodes }));
  };

  const checkService = (service: Service) => {
    if (!service || typeof service.name !== 'string' || service.name === '')
      throw badRequest('natsRegistry: service.name must be a non-empty string');
    if (typeof service.version !== 'string') throw badRequest('natsRegistry: service.version must be a string');
  };

  return {
    name: 'nats',
    async register(service, registerOptions: RegisterOptions = {}) {
      checkService(service);
      const ttlMs = registerOptions.ttlMs ?? defaultTtl;
      if (!(ttlMs > 0)) throw badRequest(`natsRegistry: ttlMs must be > 0, got ${ttlMs}`);
      if (!Number.isFinite(ttlMs)) throw badRequest(`natsRegistry: ttlMs must be finite, got ${ttlMs}`);
      const store = await bucket();
      const { nodes, ...rest } = service;
      const expiresAt = runtime.clock.now() + ttlMs;
      for (const node of nodes)
        await attempt('register', () =>
          store.put(
            keyOf(service.name, service.version, node.id),
            JSON.stringify({ service: rest, node, expiresAt } satisfies Stored),
          ),
        );
    },
    async deregister(service) {
      checkService(service);
      const store = await bucket();
      for (const node of service.nodes)
        await attempt('deregister', () => store.delete(keyOf(service.name, service.version, node.id)));
    },
    getService: (name) => read(`${keyOf(name)}.>`),
    listServices: () => read('svc.>'),

    async *watch(watchOptions: WatchOptions = {}): AsyncIterable<RegistryEvent> {
      const filter = watchOptions.service === undefined ? 'svc.>' : `${keyOf(watchOptions.service)}.>`;
      const store = await bucket();
      const signal = watchOptions.signal;
      let wake: (() => void) | undefined;
      const changes = await attempt('watch', () => store.watch({ key: filter }));
      void (async () => {
        for await (const _ of changes) wake?.();
      })().catch(() => undefined);
      const timer = runtime.timers.setInterval(() => wake?.(), pollMs);
      const onAbort = () => wake?.();
      signal?.addEventListener('abort', onAbort);
      const snapshot = (services: Service[]) => new Map(services.map((s) => [`${s.name}\u0000${s.version}`, s]));
      let known: Map<string, Service> | undefined; // the first read is the baseline: nothing is replayed
      try {
        while (!signal?.aborted && !closed) {
          const now = snapshot(await read(filter));
          if (known !== undefined) {
            for (const [id, service] of now) {
              const before = known.get(id);
              if (!before) yield { type: 'create', service };
              else if (JSON.stringify(before) !== JSON.stringify(service)) yield { type: 'update', service };
            }
            for (const [id, service] of known) if (!now.has(id)) yield { type: 'delete', service };
          }
          known = now;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      } finally {
        timer.cancel();
        signal?.removeEventListener('abort', onAbort);
        changes.stop();
      }
    },

    async close() {
      closed = true;
      const nc = await connection().catch(() => undefined);
      await nc?.close().catch(() => undefined);
    },
  };
}
