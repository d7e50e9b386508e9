/**
 * Orders: places an order — reserve the item, charge the card, record the order, and announce it
 * on the broker. The announcement is retried in the background until the broker accepts it, so a
 * partition between orders and the broker delays notifications but does not lose them.
 */
import {
  type CallContext,
  createService,
  type MicroService,
  type Runtime,
  type ServiceOptions,
  sleep,
} from '@microcosm-ts/core';
import {
  type ChargeReply,
  type CheckoutReply,
  type CheckoutRequest,
  encode,
  ORDER_PLACED,
  PRICE,
  type ReserveReply,
} from './contracts.js';

export const PUBLISH_RETRY_MS = 250;
export const PUBLISH_ATTEMPTS = 40;

export function createOrders(plugins: Omit<ServiceOptions, 'name'> & { readonly runtime: Runtime }): MicroService {
  const service = createService({ ...plugins, name: 'orders' });
  const store = () => {
    if (!plugins.store) throw new Error('orders needs a store');
    return plugins.store.withScope({ table: 'orders' });
  };
  const announce = async (request: CheckoutRequest) => {
    for (let attempt = 1; attempt <= PUBLISH_ATTEMPTS; attempt++) {
      try {
        await service.client.publish(ORDER_PLACED, { orderId: request.orderId, sku: request.sku });
        return;
      } catch {
        await sleep(plugins.runtime, PUBLISH_RETRY_MS);
      }
    }
  };
  service.handle('Orders', {
    async Place(request: CheckoutRequest, context: CallContext): Promise<CheckoutReply> {
      const reserved = await service.client.call<ReserveReply>('inventory', 'Inventory.Reserve', request, {
        context,
        timeoutMs: 1_000,
        retries: 0,
      });
      if (!reserved.reserved) return { status: 'out-of-stock', orderId: request.orderId };
      await service.client.call<ChargeReply>(
        'payments',
        'Payments.Charge',
        { orderId: request.orderId, amount: PRICE },
        { context, timeoutMs: 1_000, retries: 3 },
      );
      await store().write({ key: `order/${request.orderId}`, value: encode({ ...request, status: 'placed' }) });
      void announce(request);
      return { status: 'placed', orderId: request.orderId };
    },
  });
  return service;
}
