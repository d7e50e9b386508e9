/**
 * The restock job: every inventory replica campaigns in the `restock` election; the leader adds
 * a few units of every SKU each second, under the SKU's lock and with a conditional write. When
 * leadership is lost (a pause, a partition, a skewed clock) the replica campaigns again.
 *
 * Units reach the shelf (the ledger) exactly when the write that adds them lands, so a write
 * whose outcome is unknown (its reply lost, a duplicate's conflict answered first) is settled by
 * reading the record back — retrying until the answer is certain — and every restock id found
 * in a record is counted once more by whoever reads it next, like an outbox.
 */
import { sleep } from '@microcosm-ts/core';
import { encode } from './contracts.js';
import { countRestock } from './ledger.js';
import { RESTOCK_IDS_KEPT, type StockOptions, type StockRecord, stockAccess } from './stock.js';

export const RESTOCK_EVERY_MS = 1_000;
export const RESTOCK_UNITS = 2;
export const LEADER_LEASE_MS = 1_500;
/** Write-and-read-back rounds a restock spends finding out whether its write landed. */
export const SETTLE_ATTEMPTS = 6;

export async function runRestockJob(options: StockOptions): Promise<never> {
  const { underLock, readStock, store } = stockAccess(options);
  const counted = (sku: string, record: StockRecord) => {
    for (const id of record.restocks ?? []) countRestock(options.ledger, sku, id, RESTOCK_UNITS);
  };
  /**
   * Write `value` if the record is still at `revision`, and say for sure whether it landed: the
   * write is conditional, so once the revision moved without our id, it never will.
   */
  const settle = async (sku: string, value: Uint8Array, revision: number, writeId: string) => {
    for (let attempt = 1; attempt <= SETTLE_ATTEMPTS; attempt++) {
      const written = await store.write({ key: `stock/${sku}`, value }, { ifRevision: revision }).catch(() => undefined);
      if (written?.type === 'ok') return true;
      const now = await readStock(sku).catch(() => undefined);
      if (now === undefined) continue; // neither answer came back: ask again
      if (now.restocks?.includes(writeId)) return true;
      if (now.revision !== revision) return false;
      // Still at the revision we read: our write was lost on the way, so send it again.
    }
    return false; // still unknown; if it landed, the next reader of the record counts it
  };
  const restock = (sku: string) =>
    underLock(sku, async (token) => {
      const current = await readStock(sku);
      counted(sku, current);
      const writeId = `${options.node}/${token}`;
      const restocks = [...(current.restocks ?? []), writeId].slice(-RESTOCK_IDS_KEPT);
      const value = encode({ stock: current.stock + RESTOCK_UNITS, fence: Math.max(token, current.fence), restocks });
      if (await settle(sku, value, current.revision, writeId))
        countRestock(options.ledger, sku, writeId, RESTOCK_UNITS);
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
