/**
 * What must hold in the shop, judged by the ledger of real side effects and the clients' history.
 */
import type { Finding, InvariantFactory } from '@microcosm-ts/core/sim';
import type { CheckoutReply } from './contracts.js';
import type { Ledger, Sale } from './ledger.js';

export function shopInvariants(ledger: Ledger): Record<string, InvariantFactory> {
  return {
    /** No SKU sold more units than were ever in stock (initial + restocked). */
    'no-oversell': () => ({
      name: 'no-oversell',
      check() {
        const findings: Finding[] = [];
        for (const [sku, initial] of Object.entries(ledger.initialStock)) {
          const sales = ledger.sales.filter((s) => s.sku === sku);
          const supply = initial + (ledger.restocked.get(sku) ?? 0);
          if (sales.length <= supply) continue;
          const stale = staleSale(sales);
          findings.push({
            message:
              `${sku}: sold ${sales.length} units, but only ${supply} were ever in stock (${initial} initial + ${supply - initial} restocked)` +
              (stale
                ? `; ${stale.node} sold ${stale.orderId} under lock token ${stale.token} after a newer token had been granted`
                : ''),
            ...(stale ? { at: stale.at, node: stale.node } : {}),
            events: around(sales, stale).map((s) => ({
              time: s.at,
              type: 'sale',
              node: s.node,
              detail: `${s.orderId} token ${s.token}${s === stale ? ' (stale)' : ''}`,
            })),
          });
        }
        return findings;
      },
    }),
    /** No order was charged twice. */
    'no-double-charge': () => ({
      name: 'no-double-charge',
      check() {
        return [...ledger.charges]
          .filter(([, n]) => n > 1)
          .map(([orderId, n]) => ({ message: `${orderId} was charged ${n} times` }));
      },
    }),
    /** Every charge taken got its receipt (read from the durable payments stream). */
    'charges-receipted': () => ({
      name: 'charges-receipted',
      check() {
        const missing = [...ledger.charges.keys()].filter((orderId) => !ledger.receipts.has(orderId));
        return missing.length === 0
          ? []
          : [{ message: `${missing.length} charge(s) without a receipt, the first for ${missing[0]}` }];
      },
    }),
    /** Every order a client saw placed at least `settleMs` before the end was notified. */
    'placed-orders-notified': (options) => ({
      name: 'placed-orders-notified',
      check({ history, startMs, durationMs }) {
        const settleMs = typeof options.settleMs === 'number' ? options.settleMs : 3_000;
        const cutoff = startMs + durationMs - settleMs;
        const missing = history.filter(
          (e) =>
            e.type === 'ok' &&
            (e.value as CheckoutReply | undefined)?.status === 'placed' &&
            (e.time ?? 0) < cutoff &&
            !ledger.notified.has((e.value as CheckoutReply).orderId),
        );
        const first = missing[0];
        return first === undefined
          ? []
          : [
              {
                message: `${missing.length} placed order(s) never notified, the first ${(first.value as CheckoutReply).orderId}`,
                ...(first.time === undefined ? {} : { at: first.time }),
              },
            ];
      },
    }),
  };
}

/** The sales around the stale one (or the last few), in time order. */
function around(sales: readonly Sale[], stale: Sale | undefined): Sale[] {
  const ordered = [...sales].sort((a, b) => a.at - b.at);
  const index = stale === undefined ? ordered.length - 3 : ordered.indexOf(stale);
  return ordered.slice(Math.max(0, index - 3), index + 3);
}

/** A sale made under a lock token older than one already used for the same SKU. */
function staleSale(sales: readonly Sale[]): Sale | undefined {
  let highest = 0;
  for (const sale of [...sales].sort((a, b) => a.at - b.at)) {
    if (sale.token < highest) return sale;
    highest = Math.max(highest, sale.token);
  }
  return undefined;
}
