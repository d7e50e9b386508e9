/**
 * The shop's side effects in the outside world — items shipped, cards charged, emails sent —
 * recorded as they happen, on the world's true timeline. Invariants judge the system by these,
 * not by what its own database claims: a stale write can make the database agree with itself
 * while a customer's item ships twice.
 */
export interface Sale {
  readonly sku: string;
  readonly orderId: string;
  readonly node: string;
  readonly token: number;
  readonly at: number;
}

export interface Ledger {
  readonly initialStock: Readonly<Record<string, number>>;
  readonly sales: Sale[];
  /** Units added by the restock job, per SKU. */
  readonly restocked: Map<string, number>;
  /** The restocks counted in `restocked`, as `<sku> <restock id>`: each delivers its units once. */
  readonly restockIds: Set<string>;
  /** Charges taken, per order. */
  readonly charges: Map<string, number>;
  /** Notifications sent, per order. */
  readonly notified: Map<string, number>;
  /** Payment receipts e-mailed, per order. */
  readonly receipts: Map<string, number>;
}

export function createLedger(initialStock: Readonly<Record<string, number>>): Ledger {
  return {
    initialStock,
    sales: [],
    restocked: new Map(),
    restockIds: new Set(),
    charges: new Map(),
    notified: new Map(),
    receipts: new Map(),
  };
}

export const bump = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

/** Count restock `id`'s units on the shelf; a restock already counted is not counted again. */
export function countRestock(ledger: Ledger, sku: string, id: string, units: number): void {
  const key = `${sku} ${id}`;
  if (ledger.restockIds.has(key)) return;
  ledger.restockIds.add(key);
  bump(ledger.restocked, sku, units);
}
