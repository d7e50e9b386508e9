/**
 * The restock job: every inventory replica campaigns in the `restock` election; the leader adds
 * a few units of every SKU each second, under the SKU's lock and with a conditional write. When
 * leadership is lost (a pause, a partition, a skewed clock) the replica campaigns again.
 */
import { sleep } from '@microcosm-ts/core';
import { encode } from './contracts.js';
import { bump } from './ledger.js';
import { RESTOCK_IDS_KEPT, type StockOptions, stockAccess } from './stock.js';

export const RESTOCK_EVERY_MS = 1_000;
export const RESTOCK_UNITS = 2;
export const LEADER_LEASE_MS = 1_500;

export async function runRestockJob(options: StockOptions): Promise<never> {
  const { underLock, readStock, store } = stockAccess(options);
  const restock = (sku: string) =>
    underLock(sku, async (token) => {
      const current = await readStock(sku);
      const writeId = `${options.node}/${token}`;
      const restocks = [...(current.restocks ?? []), writeId].slice(-RESTOCK_IDS_KEPT);
      const value = encode({ stock: current.stock + RESTOCK_UNITS, fence: Math.max(token, current.fence), restocks });
      let landed: boolean;
      try {
        landed = (await store.write({ key: `stock/${sku}`, value }, { ifRevision: current.revision })).type === 'ok';
      } catch {
        // The reply was lost: the units count as restocked only if the write did land.
        landed = (await readStock(sku).catch(() => undefined))?.restocks?.includes(writeId) === true;
      }
      if (landed) bump(options.ledger.restocked, sku, RESTOCK_UNITS);
    });
  for (;;) {
    const leadership = await options.sync.elect('restock', { candidate: options.node, leaseMs: LEADER_LEASE_MS });
    options.roles.leaders.add(options.node);
    try {
      while (!leadership.signal.aborted) {
        await sleep(options.runtime, RESTOCK_EVERY_MS, leadership.signal).catch(() => {});
        for (const sku of options.skus) {
          if (leadership.signal.aborted) break;
          await restock(sku).catch(() => {});
        }
      }
    } finally {
      options.roles.leaders.delete(options.node);
    }
  }
}
