/** Notifications: tells the customer their order is placed, once per order (deduplicated). */
import { createService, type MicroService, type ServiceOptions } from '@microcosm-ts/core';
import { ORDER_PLACED, type OrderPlaced } from './contracts.js';
import { bump, type Ledger } from './ledger.js';

export function createNotifications(plugins: Omit<ServiceOptions, 'name'>, ledger: Ledger): MicroService {
  const service = createService({ ...plugins, name: 'notifications' });
  service.subscribe<OrderPlaced>(
    ORDER_PLACED,
    (event) => {
      if (!ledger.notified.has(event.orderId)) bump(ledger.notified, event.orderId);
    },
    { queue: 'notifications', delivery: 'at-least-once' },
  );
  return service;
}
