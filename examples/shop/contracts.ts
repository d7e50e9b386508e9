/** The messages the shop's services exchange. */

export interface CheckoutRequest {
  readonly orderId: string;
  readonly sku: string;
}

export type CheckoutReply =
  | { readonly status: 'placed'; readonly orderId: string }
  | { readonly status: 'out-of-stock'; readonly orderId: string };

export interface ReserveRequest {
  readonly orderId: string;
  readonly sku: string;
}

export interface ReserveReply {
  readonly reserved: boolean;
}

export interface ChargeRequest {
  readonly orderId: string;
  readonly amount: number;
}

export interface ChargeReply {
  readonly chargeId: string;
}

export interface OrderPlaced {
  readonly orderId: string;
  readonly sku: string;
}

export const ORDER_PLACED = 'orders.placed';
/** The durable event stream payments appends every charge to (read by notifications for receipts). */
export const PAYMENTS_STREAM = 'payments';
export const PRICE = 25;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** JSON values in the store. */
export const encode = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));
export const decode = <T>(bytes: Uint8Array): T => JSON.parse(decoder.decode(bytes)) as T;
