/**
 * One shop process: `node --import tsx examples/shop/real/service.ts <role> <prefix>`, where role
 * is gateway, orders, payments, notifications, inventory-1 or inventory-2. It starts the very
 * service code the simulator runs, on real plugins, prints `ready <role> <address>` (the gateway
 * adds its HTTP URL) and stops
 * gracefully (drain, deregister, close) on SIGTERM or SIGINT.
 */
import type { MicroService } from '@microcosm-ts/core';
import { serveHttp } from '@microcosm-ts/core/plugins/http';
import { createGateway, shopHttpGateway } from '../gateway.js';
import { createInventory } from '../inventory.js';
import { createLedger } from '../ledger.js';
import { createNotifications } from '../notifications.js';
import { createOrders } from '../orders.js';
import { setupServer } from 'msw/node';
import { createPayments } from '../payments.js';
import { providerHandlers } from '../provider.js';
import { runRestockJob } from '../restock.js';
import { INITIAL_STOCK, realPlugins, SKUS } from './plugins.js';

const [role, prefix] = process.argv.slice(2);
if (!role || !prefix) {
  console.error('usage: service.ts <gateway|orders|payments|notifications|inventory-1|inventory-2> <prefix>');
  process.exit(2);
}

const plugins = realPlugins(prefix, role);
// Each process keeps its own record of what it did; the simulator's shared ledger is a test oracle.
const ledger = createLedger(Object.fromEntries(SKUS.map((sku) => [sku, INITIAL_STOCK])));

function build(): MicroService {
  switch (role) {
    case 'gateway':
      return createGateway(plugins);
    case 'orders':
      return createOrders(plugins);
    case 'payments':
      // The card processor is mocked in-process by the same msw handlers the simulator hosts on a node.
      setupServer(...providerHandlers(ledger)).listen({ onUnhandledRequest: 'bypass' });
      return createPayments(plugins);
    case 'notifications':
      return createNotifications(plugins, ledger);
    case 'inventory-1':
    case 'inventory-2': {
      const stock = {
        node: role,
        runtime: plugins.runtime,
        store: plugins.store,
        sync: plugins.sync,
        skus: SKUS,
        ledger,
        roles: { lockHolders: new Set<string>(), leaders: new Set<string>() },
      };
      const { store: _store, sync: _sync, ...rest } = plugins;
      void runRestockJob(stock).catch(() => {});
      return createInventory(rest, { ...stock, fencing: true, now: () => plugins.runtime.clock.now() });
    }
    default:
      console.error(`unknown role "${role}"`);
      process.exit(2);
  }
}

const service = build();
await service.start();
// The gateway process is also the shop's HTTP door (port from SHOP_HTTP_PORT, default any free one).
const http =
  role === 'gateway'
    ? await serveHttp(shopHttpGateway(service), { port: Number(process.env.SHOP_HTTP_PORT ?? 0) })
    : undefined;
console.log(`ready ${role} ${service.server.address}${http ? ` ${http.url}` : ''}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await http?.close();
  await service.stop();
  await plugins.close();
  console.log(`stopped ${role}`);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
