/**
 * Notifications: tells the customer their order is placed (broker, at least once, deduplicated),
 * and e-mails a receipt for every charge in the durable `payments`
 * stream (`sendReceipts`: consumer group `receipts`, manual ack after the receipt is sent).
 */

import type { Events } from '@microcosm-ts/core';
import { createService, type MicroService, type ServiceOptions } from '@microcosm-ts/core';
import { decode, ORDER_PLACED, type OrderPlaced, PAYMENTS_STREAM } from './contracts.js';
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

/** Send a receipt for every charge in the `payments` stream; runs until the node stops. */
export async function sendReceipts(events: Events, ledger: Ledger): Promise<void> {
  const consumer = await events.consume(PAYMENTS_STREAM, { group: 'receipts', ack: 'manual', ackDeadlineMs: 2_000 });
  for await (const message of consumer) {
    const { orderId } = decode<{ orderId: string }>(message.body);
    if (!ledger.receipts.has(orderId)) bump(ledger.receipts, orderId);
    await message.ack().catch(() => {});
  }
}
