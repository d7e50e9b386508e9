/**
 * Inventory: reserves stock under a per-SKU lock; the replica that wins the `restock` election
 * also runs the restock job (see restock.ts).
 *
 * Reserving reads the stock, does some work (talking to the warehouse takes a while), then writes
 * the stock back. With `fencing: true` the write is conditional: it carries the lock's fencing
 * token and the revision it read, so a holder whose lease ran out while it stalled (a GC pause, a
 * partition) cannot write stale stock. With `fencing: false` the replica trusts its lock and
 * writes blind — the classic bug: after a long pause it overwrites the stock another holder
 * already decremented, and the shop sells more than it has.
 */
import {
  type CallContext,
  createService,
  type MicroService,
  type ServiceOptions,
  sleep,
  unavailable,
} from '@microcosm-ts/core';
import { FENCING_TOKEN_METADATA } from '@microcosm-ts/core/sim';
import { encode, type ReserveReply, type ReserveRequest } from './contracts.js';
import { type StockOptions, type StockRecord, stockAccess } from './stock.js';

/** How long the warehouse call inside the critical section takes. */
export const WAREHOUSE_MS = 60;

/** How long the warehouse call inside a reservation's critical section takes, by default. */
export const DEFAULT_WAREHOUSE_MS = 60;

export interface InventoryOptions extends StockOptions {
  readonly fencing: boolean;
  /** How long the warehouse call inside the critical section takes (ms). Default {@link DEFAULT_WAREHOUSE_MS}. */
  readonly warehouseMs?: number;
  readonly now: () => number;
}

export function createInventory(
  plugins: Omit<ServiceOptions, 'name' | 'store' | 'sync'>,
  options: InventoryOptions,
): MicroService {
  const service = createService({ ...plugins, name: 'inventory', store: options.store, sync: options.sync });
  const { underLock, readStock, store } = stockAccess(options);
  const { node, ledger } = options;

  /** Write the stock back: fenced (token not older, CAS on the revision read) or blind. */
  const writeStock = async (sku: string, read: StockRecord & { revision: number }, stock: number, token: number) => {
    const value = encode({ ...read, revision: undefined, stock, fence: Math.max(token, read.fence) });
    // The token travels with the write, so the store's own trace records it (no-stale-fenced-writes).
    const record = { key: `stock/${sku}`, value, metadata: { [FENCING_TOKEN_METADATA]: String(token) } };
    if (!options.fencing) {
      await store.write(record);
      return true;
    }
    if (token < read.fence) return false;
    const written = await store.write(record, { ifRevision: read.revision });
    return written.type === 'ok';
  };

  service.handle('Inventory', {
    async Reserve(request: ReserveRequest, _context: CallContext): Promise<ReserveReply> {
      const outcome = await underLock(request.sku, async (token) => {
        if (await store.read(`reservation/${request.orderId}`)) return { reserved: true };
        const current = await readStock(request.sku);
        if (current.stock <= 0) return { reserved: false };
        await sleep(options.runtime, options.warehouseMs ?? DEFAULT_WAREHOUSE_MS);
        if (!(await writeStock(request.sku, current, current.stock - 1, token)))
          throw unavailable(`stock of ${request.sku} changed under a stale lock (token ${token})`);
        await store.write({ key: `reservation/${request.orderId}`, value: encode({ node, token }) });
        ledger.sales.push({ sku: request.sku, orderId: request.orderId, node, token, at: options.now() });
        return { reserved: true };
      });
      if (outcome === undefined) throw unavailable(`sku ${request.sku} is busy`);
      return outcome;
    },
  });
  return service;
}
