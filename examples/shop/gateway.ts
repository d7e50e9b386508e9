/**
 * The gateway: the shop's front door. `Gateway.Checkout` is its RPC endpoint (checkout goes to
 * orders with a deadline); `shopHttpGateway` is the same door over HTTP — `POST /checkout` —
 * with a per-route rate limit, served by node's http server in the real shop and as a sim node
 * in scenarios.
 */
import {
  type CallContext,
  createGateway as createHttpGateway,
  createService,
  type Gateway,
  type MicroService,
  type RateLimit,
  type ServiceOptions,
} from '@microcosm-ts/core';
import type { CheckoutReply, CheckoutRequest } from './contracts.js';

export const CHECKOUT_PATH = '/checkout';
/** The real HTTP door admits 5 checkouts a second, 5 at once (scenarios set their own). */
export const CHECKOUT_RATE_LIMIT: RateLimit = { perSecond: 5, burst: 5 };

export function createGateway(plugins: Omit<ServiceOptions, 'name'>): MicroService {
  const service = createService({ ...plugins, name: 'gateway' });
  service.handle('Gateway', {
    Checkout: (request: CheckoutRequest, context: CallContext) =>
      service.client.call<CheckoutReply>('orders', 'Orders.Place', request, { context, timeoutMs: 2_500 }),
  });
  return service;
}

/** `POST /checkout` → `gateway Gateway.Checkout`, rate-limited; anything else through `POST /{service}/{Endpoint}`. */
export function shopHttpGateway(service: MicroService, rateLimit: RateLimit = CHECKOUT_RATE_LIMIT): Gateway {
  return createHttpGateway({
    client: service.client,
    runtime: service.runtime,
    timeoutMs: 3_000,
    routes: [{ path: CHECKOUT_PATH, service: 'gateway', endpoint: 'Gateway.Checkout', rateLimit }],
  });
}
