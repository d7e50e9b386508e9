/**
 * The shop as a system under test: every service and every piece of infrastructure on its own
 * simulated node — registry, store, locks, broker, events; gateway-1, orders-1, payments-1, inventory-1,
 * inventory-2, notifications-1 — the card processor on `http:payments-provider` (msw handlers on a
 * simulated node), and a `client` node the workload calls the gateway from.
 *
 * Knobs (scenario `system.options`): `fencing` (default true; false = the lock-trusting bug),
 * `skus` (default 3), `stock` (initial units per SKU, default 5), `latencyMs` (default 2),
 * `warehouseMs` (time spent inside a reservation's critical section, default 60), `providerMs`
 * (time the card processor takes to charge, default 5); `entry` ('rpc',
 * default: the client calls Gateway.Checkout; 'http': it POSTs /checkout to the gateway node's
 * HTTP door, rate-limited to `ratePerSecond` with a bucket of `rateBurst`).
 */
import {
  type Client,
  createService,
  type Gateway,
  MicroError,
  type ServiceOptions,
  silentLogger,
} from '@microcosm-ts/core';
import {
  brokerClient,
  defineSystem,
  eventsClient,
  hostBroker,
  hostEvents,
  hostLocks,
  httpClient,
  httpDependency,
  type NodeContext,
  type Sim,
  type SimHttpClient,
  serveGateway,
  serveRegistry,
  simRegistry,
  simTransport,
  storeNode,
  syncClient,
} from '@microcosm-ts/core/sim';
import { type CheckoutReply, encode } from './contracts.js';
import { CHECKOUT_PATH, createGateway, shopHttpGateway } from './gateway.js';
import { shopInvariants } from './invariants.js';
import { createInventory, DEFAULT_WAREHOUSE_MS } from './inventory.js';
import { createLedger } from './ledger.js';
import { createNotifications, sendReceipts } from './notifications.js';
import { createOrders } from './orders.js';
import { createPayments } from './payments.js';
import { DEFAULT_PROVIDER_MS, PROVIDER_HOST, providerHandlers } from './provider.js';
import { runRestockJob } from './restock.js';

export interface ShopOptions {
  readonly fencing: boolean;
  readonly skus: number;
  readonly stock: number;
  readonly latencyMs: number;
  /** How long the warehouse call inside a reservation's critical section takes. */
  readonly warehouseMs: number;
  /** How long the card processor takes to charge a card. Default: {@link DEFAULT_PROVIDER_MS}. */
  readonly providerMs?: number;
  readonly entry: string;
  readonly ratePerSecond: number;
  readonly rateBurst: number;
}

export const DEFAULT_SHOP_OPTIONS: ShopOptions = {
  fencing: true,
  skus: 3,
  stock: 5,
  latencyMs: 2,
  warehouseMs: DEFAULT_WAREHOUSE_MS,
  providerMs: DEFAULT_PROVIDER_MS,
  entry: 'rpc',
  ratePerSecond: 20,
  rateBurst: 10,
};
/** Virtual ms the shop gets to boot and register before the scenario's clock starts. */
export const WARMUP_MS = 200;
export const CHECKOUT_TIMEOUT_MS = 3_000;
/** How long payments waits for the card processor before giving up on an attempt. */
export const PROVIDER_TIMEOUT_MS = 300;
/** Circuit breakers that recover within a scenario: open after 10 failures, retry after 500 ms. */
export const BREAKER = { failures: 10, cooldownMs: 500 } as const;

export const shopSystem = defineSystem<ShopOptions>({
  name: 'shop',
  parseOptions(raw) {
    const given = (raw ?? {}) as Record<string, unknown>;
    const options: Record<string, unknown> = { ...DEFAULT_SHOP_OPTIONS };
    for (const [key, value] of Object.entries(given)) {
      const fallback = (DEFAULT_SHOP_OPTIONS as unknown as Record<string, unknown>)[key];
      if (fallback === undefined)
        throw new Error(`unknown option "${key}" (expected: ${Object.keys(DEFAULT_SHOP_OPTIONS).join(', ')})`);
      if (typeof value !== typeof fallback || (typeof value === 'number' && !(value >= 0)))
        throw new Error(
          `${key}: expected ${typeof fallback === 'number' ? 'a non-negative number' : typeof fallback}, got ${JSON.stringify(value)}`,
        );
      options[key] = value;
    }
    if (options.entry !== 'rpc' && options.entry !== 'http')
      throw new Error(`entry: expected "rpc" or "http", got ${JSON.stringify(options.entry)}`);
    return options as unknown as ShopOptions;
  },
  async build(sim: Sim, options) {
    const skus = Array.from({ length: options.skus }, (_, i) => `sku-${i}`);
    const ledger = createLedger(Object.fromEntries(skus.map((sku) => [sku, options.stock])));
    const roles = { lockHolders: new Set<string>(), leaders: new Set<string>() };
    const latency = { type: 'constant', ms: options.latencyMs } as const;
    sim.net.latency('*', '*', latency);

    sim.node('registry', (ctx) => {
      serveRegistry(ctx);
    });
    const store = storeNode(sim);
    hostLocks(sim);
    hostBroker(sim);
    hostEvents(sim);
    const provider = await httpDependency(
      sim,
      PROVIDER_HOST,
      providerHandlers(ledger, { chargeMs: options.providerMs ?? DEFAULT_PROVIDER_MS }),
      {
        timeoutMs: PROVIDER_TIMEOUT_MS,
      },
    );

    const plugins = (ctx: NodeContext) =>
      ({
        runtime: ctx.runtime,
        registry: simRegistry(ctx),
        transport: simTransport(ctx),
        logger: silentLogger,
        store: store.client(ctx),
        broker: brokerClient(ctx),
        events: eventsClient(ctx),
        client: { breaker: BREAKER },
      }) satisfies Omit<ServiceOptions, 'name'>;
    const replica = (name: string, start: (ctx: NodeContext) => Promise<void>) =>
      sim.node(name, async (ctx) => {
        await start(ctx);
      });

    const limit = { perSecond: options.ratePerSecond, burst: options.rateBurst };
    const doors: Gateway[] = []; // one per incarnation of gateway-1
    replica('gateway-1', async (ctx) => {
      const gateway = createGateway(plugins(ctx));
      await gateway.start();
      if (options.entry === 'http') {
        const door = shopHttpGateway(gateway, limit);
        doors.push(door);
        serveGateway(ctx, door);
      }
    });
    replica('orders-1', (ctx) => createOrders(plugins(ctx)).start());
    // The bound fetch names payments-1 as the sender exactly (a global fetch would be routed too).
    replica('payments-1', (ctx) => createPayments(plugins(ctx), { fetch: provider.fetch(ctx) }).start());
    replica('notifications-1', async (ctx) => {
      const own = plugins(ctx);
      await createNotifications(own, ledger).start();
      void sendReceipts(own.events, ledger).catch(() => {});
    });
    for (const node of ['inventory-1', 'inventory-2'])
      replica(node, async (ctx) => {
        roles.lockHolders.delete(node);
        roles.leaders.delete(node);
        const stock = {
          node,
          runtime: ctx.runtime,
          store: store.client(ctx),
          sync: syncClient(ctx),
          skus,
          ledger,
          roles,
        };
        const { store: _store, ...rest } = plugins(ctx);
        await createInventory(rest, {
          ...stock,
          fencing: options.fencing,
          warehouseMs: options.warehouseMs,
          now: () => sim.now,
        }).start();
        void runRestockJob(stock).catch(() => {});
      });

    let client: Client | undefined;
    let http: SimHttpClient | undefined;
    sim.node('client', (ctx) => {
      client = createService({ ...plugins(ctx), name: 'client' }).client;
      http = httpClient(ctx, 'gateway-1', { timeoutMs: CHECKOUT_TIMEOUT_MS });
    });

    await sim.runFor(1);
    const inventory = store.direct().withScope({ table: 'inventory' });
    for (const sku of skus)
      await inventory.write({ key: `stock/${sku}`, value: encode({ stock: options.stock, fence: 0 }) });
    await sim.runFor(WARMUP_MS - 1);

    return {
      services: {
        registry: ['registry'],
        store: ['store'],
        locks: ['locks'],
        broker: ['broker'],
        events: ['events'],
        gateway: ['gateway-1'],
        orders: ['orders-1'],
        payments: ['payments-1'],
        inventory: ['inventory-1', 'inventory-2'],
        notifications: ['notifications-1'],
      },
      clients: ['client'],
      baseLatency: latency,
      async call(op) {
        if (client === undefined || http === undefined) throw new Error('the client node has not booted');
        if (options.entry === 'http') {
          const response = await http.post(CHECKOUT_PATH, { orderId: `order-${op.id}`, sku: op.key });
          if (response.status === 200) return JSON.parse(response.body) as CheckoutReply;
          // A 429 was refused before anything ran: a plain error, so the history says it did not happen.
          if (response.status === 429) throw new Error('429 rate limited');
          throw MicroError.from((JSON.parse(response.body) as { error: Parameters<typeof MicroError.from>[0] }).error);
        }
        return client.call<CheckoutReply>(
          'gateway',
          'Gateway.Checkout',
          { orderId: `order-${op.id}`, sku: op.key },
          { timeoutMs: CHECKOUT_TIMEOUT_MS, retries: 0 },
        );
      },
      role(name) {
        // "The" lock holder: one node, the first by name when both replicas hold a lock.
        if (name === 'lock-holder') return [...roles.lockHolders].sort().slice(0, 1);
        if (name === 'leader') return [...roles.leaders].sort();
        throw new Error(`unknown role "@${name}" (the shop has @lock-holder and @leader)`);
      },
      invariants: {
        ...shopInvariants(ledger),
        /** The HTTP door admitted no more than its bucket allows, and (with `limited: true`) refused some. */
        'rate-limit-holds': (invariantOptions) => ({
          name: 'rate-limit-holds',
          check({ durationMs }) {
            const stats = doors.map((door) => door.stats());
            const requests = stats.reduce((n, s) => n + s.requests, 0);
            const limited = stats.reduce((n, s) => n + s.rateLimited, 0);
            // Each incarnation starts with a full bucket; the run lasts the warm-up plus the scenario.
            const bound = doors.length * limit.burst + (limit.perSecond * (WARMUP_MS + durationMs)) / 1000;
            const findings = [];
            if (requests - limited > bound)
              findings.push({
                message: `the gateway admitted ${requests - limited} requests, more than its limit allows (${Math.floor(bound)})`,
              });
            if ((invariantOptions as { limited?: boolean } | undefined)?.limited && limited === 0)
              findings.push({ message: `none of ${requests} requests was rate-limited` });
            return findings;
          },
        }),
      },
    };
  },
});

export default shopSystem;
