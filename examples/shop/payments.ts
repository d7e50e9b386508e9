/**
 * Payments: charges a card once per order, through the external card processor (provider.ts).
 * Each charge request carries the order id as its `Idempotency-Key`, so a retried or duplicated
 * Charge — after a timeout, a crash, a lost reply — gets the first charge back. The charge record
 * is then created with compare-and-set (`ifRevision: 0`, must not exist). With an Events plugin,
 * every answer to Charge (the first and any retry) appends the charge to the durable `payments`
 * stream before replying: at least once, so a receipt is never lost.
 */
import {
  type CallContext,
  createService,
  type MicroService,
  type ServiceOptions,
  unavailable,
} from '@microcosm-ts/core';
import { type ChargeReply, type ChargeRequest, decode, encode, PAYMENTS_STREAM } from './contracts.js';
import { PROVIDER_URL } from './provider.js';

export interface PaymentsOptions {
  /** How requests reach the provider. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Default: {@link PROVIDER_URL}. */
  readonly providerUrl?: string;
}

export function createPayments(plugins: Omit<ServiceOptions, 'name'>, options: PaymentsOptions = {}): MicroService {
  const service = createService({ ...plugins, name: 'payments' });
  const send = options.fetch ?? ((input, init) => fetch(input, init));
  const providerUrl = options.providerUrl ?? PROVIDER_URL;
  const store = () => {
    if (!plugins.store) throw new Error('payments needs a store');
    return plugins.store.withScope({ table: 'payments' });
  };
  const recorded = async (orderId: string, charge: ChargeReply) => {
    await plugins.events?.publish(PAYMENTS_STREAM, encode({ orderId, ...charge }));
    return charge;
  };
  const chargeCard = async (request: ChargeRequest): Promise<ChargeReply> => {
    let response: Response;
    try {
      response = await send(`${providerUrl}/v1/charges`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': request.orderId },
        body: JSON.stringify(request),
      });
    } catch (error) {
      throw unavailable(`the payment provider did not answer: ${String((error as Error).cause ?? error)}`);
    }
    if (!response.ok) throw unavailable(`the payment provider answered ${response.status}`);
    return (await response.json()) as ChargeReply;
  };
  service.handle('Payments', {
    async Charge(request: ChargeRequest, _context: CallContext): Promise<ChargeReply> {
      const key = `charge/${request.orderId}`;
      const existing = await store().read(key);
      if (existing) return recorded(request.orderId, decode<ChargeReply>(existing.value));
      const charge = await chargeCard(request);
      const written = await store().write({ key, value: encode(charge) }, { ifRevision: 0 });
      if (written.type === 'conflict' && written.current)
        return recorded(request.orderId, decode<ChargeReply>(written.current.value));
      return recorded(request.orderId, charge);
    },
  });
  return service;
}
