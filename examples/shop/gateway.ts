/** The gateway: the shop's front door. Checkout goes to orders with a deadline. */
import { type CallContext, createService, type MicroService, type ServiceOptions } from '@microcosm-ts/core';
import type { CheckoutReply, CheckoutRequest } from './contracts.js';

export function createGateway(plugins: Omit<ServiceOptions, 'name'>): MicroService {
  const service = createService({ ...plugins, name: 'gateway' });
  service.handle('Gateway', {
    Checkout: (request: CheckoutRequest, context: CallContext) =>
      service.client.call<CheckoutReply>('orders', 'Orders.Place', request, { context, timeoutMs: 2_500 }),
  });
  return service;
}
