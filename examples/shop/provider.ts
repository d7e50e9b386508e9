/**
 * The card processor the shop charges through: an external HTTP API, mocked with msw handlers.
 * Inside a simulation they run on the node `http:payments-provider` (httpDependency); in a real
 * process or an ordinary test, msw's `setupServer` serves them to the process's own fetch.
 *
 * Like real processors it honours an `Idempotency-Key`: a retried request with the same key gets
 * the first charge back instead of charging the card again. The cards it charges are the shop's
 * side effects in the outside world, so it records them in the ledger.
 */
import { delay, HttpResponse, http } from 'msw';
import type { ChargeReply, ChargeRequest } from './contracts.js';
import { bump, type Ledger } from './ledger.js';

export const PROVIDER_HOST = 'payments-provider';
export const PROVIDER_URL = `http://${PROVIDER_HOST}`;
/** How long the provider takes to charge a card, by default. */
export const DEFAULT_PROVIDER_MS = 5;

export interface ProviderOptions {
  /** Time spent charging a card. Default: {@link DEFAULT_PROVIDER_MS}. */
  readonly chargeMs?: number;
}

export function providerHandlers(ledger: Ledger, options: ProviderOptions = {}) {
  const chargeMs = options.chargeMs ?? DEFAULT_PROVIDER_MS;
  const byKey = new Map<string, ChargeReply>();
  return [
    http.post(`${PROVIDER_URL}/v1/charges`, async ({ request }) => {
      const key = request.headers.get('idempotency-key');
      if (!key) return HttpResponse.json({ error: 'Idempotency-Key header required' }, { status: 400 });
      const { orderId } = (await request.json()) as ChargeRequest;
      await delay(chargeMs);
      const earlier = byKey.get(key);
      if (earlier) return HttpResponse.json(earlier, { headers: { 'idempotent-replayed': 'true' } });
      const charge: ChargeReply = { chargeId: `ch-${orderId}` };
      byKey.set(key, charge);
      bump(ledger.charges, orderId);
      return HttpResponse.json(charge, { status: 201 });
    }),
  ];
}
