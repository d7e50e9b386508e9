import {
  memoryStore,
  memorySync,
  type Store,
  type StoreRecord,
  type StoreWrite,
  timeout,
  type WriteOptions,
  type WriteResult,
} from '@microcosm-ts/core';
import { createSim } from '@microcosm-ts/core/sim';
import { describe, expect, it } from 'vitest';
import { decode, encode } from './contracts.js';
import { createLedger } from './ledger.js';
import { RESTOCK_EVERY_MS, RESTOCK_UNITS, runRestockJob } from './restock.js';
import type { StockRecord } from './stock.js';

interface Losses {
  /** The first this many writes land, but their replies are lost. */
  readonly writes: number;
  /** After each lost write, this many reads get no answer either. */
  readonly readsAfter: number;
  /** The first write is duplicated on the wire and the duplicate's conflict is answered first. */
  readonly duplicate?: boolean;
}

/** A store on a bad network, losing answers as `lost` says. */
function lossyStore(inner: Store, lost: Losses): Store {
  let duplicate = lost.duplicate === true;
  let writes = lost.writes;
  let reads = 0;
  const wrap = (store: Store): Store => ({
    ...store,
    scope: store.scope,
    async read(key: string): Promise<StoreRecord | undefined> {
      if (reads > 0) {
        reads--;
        throw timeout(`read on store got no reply`);
      }
      return store.read(key);
    },
    async write(record: StoreWrite, options?: WriteOptions): Promise<WriteResult> {
      const result = await store.write(record, options);
      if (duplicate) {
        duplicate = false;
        return store.write(record, options);
      }
      if (writes > 0) {
        writes--;
        reads = lost.readsAfter;
        throw timeout(`write on store got no reply`);
      }
      return result;
    },
    withScope: (scope) => wrap(store.withScope(scope)),
  });
  return wrap(inner);
}

async function restockOnce(lost: Losses) {
  const sim = createSim({ seed: 1 });
  const ledger = createLedger({ 'sku-0': 5 });
  let store: Store | undefined;
  sim.node('inventory-1', async (ctx) => {
    const direct = memoryStore({ runtime: ctx.runtime });
    await direct.withScope({ table: 'inventory' }).write({ key: 'stock/sku-0', value: encode({ stock: 5, fence: 0 }) });
    store = direct;
    void runRestockJob({
      node: 'inventory-1',
      runtime: ctx.runtime,
      store: lossyStore(direct, lost),
      sync: memorySync({ runtime: ctx.runtime }),
      skus: ['sku-0'],
      ledger,
      roles: { lockHolders: new Set(), leaders: new Set() },
    }).catch(() => {});
  });
  await sim.runFor(RESTOCK_EVERY_MS * 1.5);
  const record = await store?.withScope({ table: 'inventory' }).read('stock/sku-0');
  sim.dispose();
  return { onShelf: decode<StockRecord>(record?.value ?? encode({})).stock, counted: ledger.restocked.get('sku-0') };
}

describe('the restock job on a network that loses replies', () => {
  it('counts the units of a write whose reply was lost', async () => {
    const { onShelf, counted } = await restockOnce({ writes: 1, readsAfter: 0 });
    expect(onShelf).toBe(5 + RESTOCK_UNITS);
    expect(counted).toBe(RESTOCK_UNITS);
  });

  it('counts them when the read-back that should settle it is lost too', async () => {
    const { onShelf, counted } = await restockOnce({ writes: 1, readsAfter: 1 });
    expect(onShelf).toBe(5 + RESTOCK_UNITS);
    expect(counted).toBe(RESTOCK_UNITS);
  });

  it('counts them when a duplicate of the write is answered first (with a conflict)', async () => {
    const { onShelf, counted } = await restockOnce({ writes: 0, readsAfter: 0, duplicate: true });
    expect(onShelf).toBe(5 + RESTOCK_UNITS);
    expect(counted).toBe(RESTOCK_UNITS);
  });

  it('does not count a lost write twice when it is sent again', async () => {
    const { onShelf, counted } = await restockOnce({ writes: 3, readsAfter: 2 });
    expect(onShelf).toBe(5 + RESTOCK_UNITS);
    expect(counted).toBe(RESTOCK_UNITS);
  });
});
