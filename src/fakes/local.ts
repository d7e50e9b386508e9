/**
 * createLocalCluster: the same preset as createSimCluster, without a simulation — every service
 * replica and the client share in-process memory plugins on the live runtime. For the simplest
 * unit tests, where latency, faults and replay do not matter.
 */
import { memoryBroker } from '../micro/broker/memory.js';
import { memoryCache } from '../micro/cache/cache.js';
import { badRequest } from '../micro/errors.js';
import { liveRuntime } from '../micro/live.js';
import { silentLogger } from '../micro/logger/memory.js';
import { sleep } from '../micro/runtime.js';
import { createService } from '../micro/service/service.js';
import type { MicroService } from '../micro/service/types.js';
import { memoryStore } from '../micro/store/memory.js';
import { memorySync } from '../micro/sync/memory.js';
import { type Cluster, DEFAULT_CLIENT_NODE, resolveServiceSpec, type SimClusterOptions } from './cluster.js';

export type LocalClusterOptions = Omit<SimClusterOptions, 'seed' | 'latency' | 'storeConsistency' | 'auth'>;

export async function createLocalCluster(options: LocalClusterOptions = {}): Promise<Cluster> {
  // A runtime object of its own keys a fresh in-process registry and transport (see service/defaults).
  const runtime = { ...liveRuntime };
  const logger = options.logger ?? silentLogger;
  const shared = {
    runtime,
    logger,
    broker: memoryBroker({ runtime }),
    store: memoryStore({ runtime }),
    cache: memoryCache({ runtime }),
    sync: memorySync({ runtime }),
  };
  const live = new Map<string, MicroService>();
  const replicas: Record<string, string[]> = {};
  for (const [name, raw] of Object.entries(options.services ?? {})) {
    const spec = resolveServiceSpec(name, raw);
    replicas[name] = [];
    for (let i = 1; i <= spec.replicas; i++) {
      const node = `${name}-${i}`;
      replicas[name].push(node);
      const service = createService({
        ...shared,
        ...spec.options,
        name,
        server: { ...spec.options?.server, nodeId: node },
        ...(spec.version === undefined ? {} : { version: spec.version }),
      });
      await spec.setup?.(service, undefined);
      await service.start();
      live.set(node, service);
    }
  }
  const client = createService({ ...shared, name: options.clientNode ?? DEFAULT_CLIENT_NODE });
  return {
    seed: 'live',
    client: client.client,
    broker: shared.broker,
    store: shared.store,
    cache: shared.cache,
    sync: shared.sync,
    replicas,
    service(node) {
      const service = live.get(node);
      if (!service) throw badRequest(`cluster.service: no service on node "${node}"`);
      return service;
    },
    settle: async (promise) => promise,
    advance: (ms) => sleep(runtime, ms),
    dispose() {
      for (const service of live.values()) void service.stop();
      void client.stop();
    },
  };
}
