/** Stock records and the per-SKU lock, shared by reservations and the restock job. */
import type { Runtime, Store, Sync } from '@microcosm-ts/core';
import { decode } from './contracts.js';
import type { Ledger } from './ledger.js';

export const LOCK_TTL_MS = 500;
export const LOCK_WAIT_MS = 300;

export interface StockRecord {
  readonly stock: number;
  /** Highest fencing token that wrote this record. */
  readonly fence: number;
  /**
   * Ids (`<node>/<token>`) of the latest restocks, carried along by every write, so a restock
   * whose reply was lost can read back whether it landed.
   */
  readonly restocks?: readonly string[];
}

export const RESTOCK_IDS_KEPT = 20;

export interface StockOptions {
  readonly node: string;
  readonly runtime: Runtime;
  readonly store: Store;
  readonly sync: Sync;
  readonly skus: readonly string[];
  readonly ledger: Ledger;
  /** Which nodes hold a SKU lock / lead the restock job right now (for `@lock-holder`, `@leader`). */
  readonly roles: { readonly lockHolders: Set<string>; readonly leaders: Set<string> };
}

export function stockAccess(options: StockOptions) {
  const store = options.store.withScope({ table: 'inventory' });
  return {
    store,
    /** Run `work` holding the SKU's lock; undefined when the lock could not be had in time. */
    async underLock<T>(sku: string, work: (token: number) => Promise<T>): Promise<T | undefined> {
      const got = await options.sync.lock(`sku-${sku}`, { ttlMs: LOCK_TTL_MS, waitMs: LOCK_WAIT_MS });
      if (got.type === 'timeout') return undefined;
      options.roles.lockHolders.add(options.node);
      try {
        return await work(got.lease.token);
      } finally {
        options.roles.lockHolders.delete(options.node);
        await got.lease.release().catch(() => {});
      }
    },
    async readStock(sku: string): Promise<StockRecord & { readonly revision: number }> {
      const record = await store.read(`stock/${sku}`);
      const value = record ? decode<StockRecord>(record.value) : { stock: 0, fence: 0 };
      return { ...value, revision: record?.revision ?? 0 };
    },
  };
}
