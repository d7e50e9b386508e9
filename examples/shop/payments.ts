/**
 * Payments: charges a card once per order. The charge record is created with compare-and-set
 * (`ifRevision: 0`, must not exist), so a retried or duplicated Charge finds the first one.
 */
import { type CallContext, createService, type MicroService, type ServiceOptions } from '@microcosm-ts/core';
import { type ChargeReply, type ChargeRequest, decode, encode } from './contracts.js';
import { bump, type Ledger } from './ledger.js';

export function createPayments(plugins: Omit<ServiceOptions, 'name'>, ledger: Ledger): MicroService {
  const service = createService({ ...plugins, name: 'payments' });
  const store = () => {
    if (!plugins.store) throw new Error('payments needs a store');
    return plugins.store.withScope({ table: 'payments' });
  };
  service.handle('Payments', {
    async Charge(request: ChargeRequest, _context: CallContext): Promise<ChargeReply> {
      const key = `charge/${request.orderId}`;
      const existing = await store().read(key);
      if (existing) return decode<ChargeReply>(existing.value);
      const charge: ChargeReply = { chargeId: `ch-${request.orderId}` };
      const written = await store().write({ key, value: encode(charge) }, { ifRevision: 0 });
      if (written.type === 'conflict' && written.current) return decode<ChargeReply>(written.current.value);
      bump(ledger.charges, request.orderId);
      return charge;
    },
  });
  return service;
}
