/**
 * createSimCluster: the one-call preset a service author uses every day. It builds a simulated
 * world with every infrastructure fake on its own node (registry, broker, events, store, cache, locks, and —
 * when asked — auth), starts each service's replicas on named nodes (`orders-1`, `orders-2`),
 * and gives the test a `client` node to call them from. The primitives underneath (createSim,
 * simTransport, simRegistry, storeNode, hostLocks, …) stay available for whoever needs more.
 *
 * A replica's node boots the service again after a restart (a new incarnation, a new service
 * object); `cluster.service(node)` always returns the live one.
 */
import type { Auth } from '../micro/auth/types.js';
import type { Broker } from '../micro/broker/types.js';
import type { Cache } from '../micro/cache/types.js';
import type { Client } from '../micro/client/types.js';
import { badRequest } from '../micro/errors.js';
import type { Events } from '../micro/events/types.js';
import { silentLogger } from '../micro/logger/memory.js';
import type { Logger } from '../micro/logger/types.js';
import { createService, type ServiceOptions } from '../micro/service/service.js';
import type { MicroService } from '../micro/service/types.js';
import type { Store } from '../micro/store/types.js';
import type { Sync } from '../micro/sync/types.js';
import { createSim, type LatencyDistribution, type NodeContext, type Sim } from '../sim/index.js';
import { type AuthNode, type AuthNodeOptions, authNode } from './auth.js';
import { brokerClient, hostBroker } from './broker.js';
import { type CacheNode, cacheNode } from './cache.js';
import { drive } from './driven.js';
import { eventsClient, hostEvents } from './events.js';
import { serveRegistry, simRegistry } from './registry.js';
import { type Consistency, type StoreNode, storeNode } from './store.js';
import { hostLocks, syncClient } from './sync.js';
import { simTransport } from './transport.js';

/** Adds handlers and subscribers to a replica's service before it starts (`ctx` is the sim node; undefined in-process). */
export type ServiceSetup = (service: MicroService, ctx: NodeContext | undefined) => void | Promise<void>;

/** What one service of the cluster is: how many replicas, and how to set one up. */
export interface ServiceSpec {
  /** Default: 1. */
  readonly replicas?: number;
  /** Default: 'latest'. */
  readonly version?: string;
  /** Add handlers and subscribers before the replica starts. Default: none. */
  readonly setup?: ServiceSetup;
  /** Extra createService options (strategy, client, server, wrappers…). Default: none. */
  readonly options?: Partial<Omit<ServiceOptions, 'name' | 'version' | 'runtime'>>;
}

export interface SimClusterOptions {
  readonly seed: number | string;
  /** Service name → spec, a replica count, or a setup function (one replica). Default: none. */
  readonly services?: Readonly<Record<string, ServiceSpec | number | ServiceSetup>>;
  /** Latency of every link. Default: constant 1 ms. */
  readonly latency?: LatencyDistribution;
  /** The store node's consistency. Default: linearizable. */
  readonly storeConsistency?: Consistency;
  /** Host an auth node with these options. Default: no auth node. */
  readonly auth?: AuthNodeOptions;
  /** Logger for every service. Default: silent. */
  readonly logger?: Logger;
  /** Name of the node tests call from. Default: 'client'. */
  readonly clientNode?: string;
  /** Virtual ms to run after boot so services register. Default: 50. */
  readonly warmupMs?: number;
  /**
   * Which infrastructure nodes to host (the registry always is). A service's plugin for anything
   * left out is the in-process memory default of its own node. Default: all of {@link INFRASTRUCTURE}.
   */
  readonly infrastructure?: readonly Infrastructure[];
}

/** The infrastructure a cluster can host, each on the node of that name (auth: via `auth`). */
export const INFRASTRUCTURE = ['broker', 'events', 'store', 'cache', 'locks'] as const;
export type Infrastructure = (typeof INFRASTRUCTURE)[number];

/** The plugins a service on a cluster node uses, all pointed at the cluster's fakes. */
export interface NodePlugins {
  readonly runtime: NodeContext['runtime'];
  readonly registry: ReturnType<typeof simRegistry>;
  readonly transport: ReturnType<typeof simTransport>;
  /** Each infrastructure plugin is present when the cluster hosts it (all by default). */
  readonly broker?: Broker;
  readonly events?: Events;
  readonly store?: Store;
  readonly cache?: Cache;
  readonly sync?: Sync;
  readonly auth?: Auth;
  readonly logger: Logger;
}

/** What a test sees of a cluster, simulated or in-process (see createLocalCluster). */
export interface Cluster {
  readonly seed: string;
  /** The client of the `client` node; in a simulation, awaiting what it returns runs the world. */
  readonly client: Client;
  /** The broker, store, cache and sync of the `client` node. */
  readonly broker: Broker;
  readonly store: Store;
  readonly cache: Cache;
  readonly sync: Sync;
  /** Replica node names per service, e.g. `{ orders: ['orders-1', 'orders-2'] }`. */
  readonly replicas: Readonly<Record<string, readonly string[]>>;
  /** The live service object on a replica node. Throws if the node is down. */
  service(node: string): MicroService;
  /** Wait for a promise the cluster did not wrap (in a simulation: run the world until it settles). */
  settle<T>(promise: PromiseLike<T>): Promise<T>;
  /** Let time pass (virtual in a simulation). */
  advance(ms: number): Promise<void>;
  dispose(): void;
}

export interface SimCluster extends Cluster {
  readonly sim: Sim;
  /** The plugins for code running on any node of the cluster. */
  plugins(ctx: NodeContext): NodePlugins;
  /** The name of the node `client` calls from. */
  readonly clientNode: string;
  /**
   * The client node's own client and plugins, not driven: for code that already runs inside the
   * simulation (a scenario's operations, a node's boot), where awaiting must not run the world.
   */
  readonly inside: NodePlugins & { readonly client: Client };
  /** The nodes of every service and piece of infrastructure: `{ greeter: ['greeter-1'], registry: ['registry'], broker: ['broker'], … }`. */
  readonly nodes: Readonly<Record<string, readonly string[]>>;
}

export const DEFAULT_CLIENT_NODE = 'client';
/** Every link's latency unless `latency` says otherwise. */
export const DEFAULT_CLUSTER_LATENCY: LatencyDistribution = { type: 'constant', ms: 1 };
export const DEFAULT_WARMUP_MS = 50;

export function resolveServiceSpec(
  name: string,
  spec: ServiceSpec | number | ServiceSetup,
): Required<Pick<ServiceSpec, 'replicas'>> & ServiceSpec {
  const full: ServiceSpec =
    typeof spec === 'number' ? { replicas: spec } : typeof spec === 'function' ? { setup: spec } : spec;
  const replicas = full.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1)
    throw badRequest(`createSimCluster: services.${name}.replicas must be a positive integer, got ${replicas}`);
  if (!/^[a-z][a-z0-9-]*$/i.test(name))
    throw badRequest(`createSimCluster: service name "${name}" must be letters, digits and dashes`);
  return { ...full, replicas };
}

export async function createSimCluster(options: SimClusterOptions): Promise<SimCluster> {
  const sim = createSim({ seed: options.seed });
  try {
    return await buildSimCluster(sim, options);
  } catch (error) {
    sim.dispose();
    throw error;
  }
}

function resolveInfrastructure(wanted: readonly string[] | undefined): ReadonlySet<Infrastructure> {
  if (wanted === undefined) return new Set(INFRASTRUCTURE);
  for (const name of wanted)
    if (!(INFRASTRUCTURE as readonly string[]).includes(name))
      throw badRequest(`createSimCluster: infrastructure "${name}" is not one of ${INFRASTRUCTURE.join(', ')}`);
  return new Set(wanted as readonly Infrastructure[]);
}

/**
 * The preset on a world somebody else owns (a scenario's system builds into the runner's sim):
 * the same nodes as {@link createSimCluster}; disposing the result disposes `sim`.
 */
export async function buildSimCluster(sim: Sim, options: Omit<SimClusterOptions, 'seed'>): Promise<SimCluster> {
  const logger = options.logger ?? silentLogger;
  const clientName = options.clientNode ?? DEFAULT_CLIENT_NODE;
  const specs = Object.entries(options.services ?? {}).map(
    ([name, spec]) => [name, resolveServiceSpec(name, spec)] as const,
  );
  sim.net.latency('*', '*', options.latency ?? DEFAULT_CLUSTER_LATENCY);

  const hosted = resolveInfrastructure(options.infrastructure);
  const infrastructure: Record<string, string[]> = { registry: ['registry'] };
  sim.node('registry', (ctx) => {
    serveRegistry(ctx);
  });
  const store: StoreNode | undefined = hosted.has('store')
    ? storeNode(sim, options.storeConsistency ? { consistency: options.storeConsistency } : {})
    : undefined;
  const cache: CacheNode | undefined = hosted.has('cache') ? cacheNode(sim) : undefined;
  if (hosted.has('broker')) hostBroker(sim);
  if (hosted.has('events')) hostEvents(sim);
  if (hosted.has('locks')) hostLocks(sim);
  const auth: AuthNode | undefined = options.auth ? authNode(sim, options.auth) : undefined;
  for (const name of [...INFRASTRUCTURE, 'auth'] as const)
    if (name === 'auth' ? auth !== undefined : hosted.has(name)) infrastructure[name] = [name];

  const plugins = (ctx: NodeContext): NodePlugins => ({
    runtime: ctx.runtime,
    registry: simRegistry(ctx),
    transport: simTransport(ctx),
    ...(hosted.has('broker') ? { broker: brokerClient(ctx) } : {}),
    ...(hosted.has('events') ? { events: eventsClient(ctx) } : {}),
    ...(store ? { store: store.client(ctx) } : {}),
    ...(cache ? { cache: cache.client(ctx) } : {}),
    ...(hosted.has('locks') ? { sync: syncClient(ctx) } : {}),
    ...(auth ? { auth: auth.client(ctx) } : {}),
    logger,
  });

  const live = new Map<string, MicroService>();
  const replicas: Record<string, string[]> = {};
  for (const [name, spec] of specs) {
    replicas[name] = [];
    for (let i = 1; i <= spec.replicas; i++) {
      const nodeName = `${name}-${i}`;
      replicas[name].push(nodeName);
      sim.node(nodeName, async (ctx) => {
        live.delete(nodeName);
        const service = createService({
          ...plugins(ctx),
          ...spec.options,
          name,
          ...(spec.version === undefined ? {} : { version: spec.version }),
        });
        await spec.setup?.(service, ctx);
        await service.start();
        live.set(nodeName, service);
      });
    }
  }

  let clientService!: MicroService;
  let clientPlugins!: NodePlugins;
  sim.node(clientName, (ctx) => {
    clientPlugins = plugins(ctx);
    clientService = createService({ ...clientPlugins, name: clientName });
  });
  await sim.runFor(options.warmupMs ?? DEFAULT_WARMUP_MS);

  const driven = drive(sim);
  const absent = (name: Infrastructure) =>
    new Proxy({} as never, {
      get: () => {
        throw badRequest(`cluster: this cluster hosts no ${name} (see the infrastructure option)`);
      },
    });
  return {
    sim,
    seed: sim.seed,
    clientNode: clientName,
    inside: { ...clientPlugins, client: clientService.client },
    nodes: { ...replicas, ...infrastructure },
    client: driven.wrap(clientService.client),
    broker: clientPlugins.broker ? driven.wrap(clientPlugins.broker) : absent('broker'),
    store: clientPlugins.store ? driven.wrap(clientPlugins.store) : absent('store'),
    cache: clientPlugins.cache ? driven.wrap(clientPlugins.cache) : absent('cache'),
    sync: clientPlugins.sync ? driven.wrap(clientPlugins.sync) : absent('locks'),
    replicas,
    service(node) {
      const service = live.get(node);
      if (!service || !sim.getNode(node).alive) throw badRequest(`cluster.service: no live service on node "${node}"`);
      return service;
    },
    settle: (promise) => sim.settle(promise),
    advance: (ms) => driven.advance(ms),
    plugins,
    dispose: () => sim.dispose(),
  };
}
