/**
 * The ledger: a small service that touches every everyday plugin — it serialises deposits to an
 * account with a lock, keeps balances in the store with compare-and-set, and publishes each
 * deposit to the broker. The same code runs in-process and in the simulator; ledger.test.ts
 * drives it with the `simTest` preset, one injected fault per test.
 */
import { badRequest, type CallContext, conflict, type MicroService, unavailable } from '@microcosm-ts/core';

export interface DepositRequest {
  readonly account: string;
  readonly amount: number;
}

export interface Balance {
  readonly account: string;
  readonly balance: number;
}

const encode = (n: number) => new TextEncoder().encode(String(n));
const decode = (bytes: Uint8Array) => Number(new TextDecoder().decode(bytes));

export class Ledger {
  readonly #service: MicroService;

  constructor(service: MicroService) {
    this.#service = service;
  }

  async Deposit(request: DepositRequest, _context: CallContext): Promise<Balance> {
    if (!(request.amount > 0)) throw badRequest(`amount must be positive, got ${request.amount}`);
    const { store, sync } = this.#plugins();
    const lock = await sync.lock(`account:${request.account}`, { ttlMs: 2_000, waitMs: 1_000 });
    if (lock.type !== 'acquired') throw unavailable(`account ${request.account} is busy`);
    try {
      const current = await store.read(request.account);
      const balance = (current ? decode(current.value) : 0) + request.amount;
      const written = await store.write(
        { key: request.account, value: encode(balance) },
        { ifRevision: current?.revision ?? 0 },
      );
      if (written.type === 'conflict') throw conflict(`account ${request.account} changed underneath the lock`);
      await this.#service.client.publish('deposits', { account: request.account, amount: request.amount, balance });
      return { account: request.account, balance };
    } finally {
      await lock.lease.release();
    }
  }

  async Balance(request: { readonly account: string }, _context: CallContext): Promise<Balance> {
    const record = await this.#plugins().store.read(request.account);
    return { account: request.account, balance: record ? decode(record.value) : 0 };
  }

  #plugins() {
    const { store, sync } = this.#service;
    if (!store || !sync) throw unavailable('the ledger needs a store and a sync plugin');
    return { store, sync };
  }
}

/** Add the ledger's endpoints to a service. */
export function setupLedger(service: MicroService): void {
  service.handle('Ledger', new Ledger(service));
}
