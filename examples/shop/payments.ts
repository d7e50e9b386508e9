/**
 * Payments: charges a card once per order. The charge record is created with compare-and-set
 * (`ifRevision: 0`, must not exist), so a retried or duplicated Charge finds the first one.
 * With an Events plugin, every answer to Charge (the first and any retry) appends the charge to
 * the durable `payments` stream before replying: at least once, so a receipt is never lost.
 */
import { type CallContext, createService, type MicroService, type ServiceOptions } from '@microcosm-ts/core';
import { type ChargeReply, type ChargeRequest, decode, encode, PAYMENTS_STREAM } from './contracts.js';
import { bump, type Ledger } from './ledger.js';

export function createPayments(plugins: Omit<ServiceOptions, 'name'>, ledger: Ledger): MicroService {
  const service = createService({ ...plugins, name: 'payments' });
  const store = () => {
    if (!plugins.store) throw new Error('payments needs a store');
    return plugins.store.withScope({ table: 'payments' });
  };
  const recorded = async (orderId: string, charge: ChargeReply) => {
    await plugins.events?.publish(PAYMENTS_STREAM, encode({ orderId, ...charge }));
    return charge;
  };
  service.handle('Payments', {
    async Charge(request: ChargeRequest, _context: CallContext): Promise<ChargeReply> {
      const key = `charge/${request.orderId}`;
      const existing = await store().read(key);
      if (existing) return recorded(request.orderId, decode<ChargeReply>(existing.value));
      const charge: ChargeReply = { chargeId: `ch-${request.orderId}` };
      const written = await store().write({ key, value: encode(charge) }, { ifRevision: 0 });
      if (written.type === 'conflict' && written.current)
        return recorded(request.orderId, decode<ChargeReply>(written.current.value));
      bump(ledger.charges, request.orderId);
      return recorded(request.orderId, charge);
    },
  });
  return service;
}
