/**
 * A fenced resource: a value that accepts a write only when its fencing token is at least the
 * highest token it has seen. Put one behind a lock and a holder that wrongly believes it still
 * holds an expired lease is turned away instead of overwriting its successor's work.
 */
import { badRequest } from '../errors.js';

export type FencedWrite = { readonly type: 'written' } | { readonly type: 'fenced'; readonly highestToken: number };

export interface FencedWriteRecord<T> {
  readonly token: number;
  readonly value: T;
  readonly writer: string;
  readonly accepted: boolean;
}

export interface FencedResource<T> {
  /** Write `value` if `token` ≥ the highest token seen so far (which then becomes `token`). */
  write(token: number, value: T, writer?: string): FencedWrite;
  /** Write without a token check: what an unfenced resource does (for contrast in scenarios). */
  writeUnfenced(token: number, value: T, writer?: string): FencedWrite;
  readonly value: T | undefined;
  readonly highestToken: number;
  /** Every attempted write, in order, accepted or not. */
  readonly history: readonly FencedWriteRecord<T>[];
}

export function fencedResource<T>(): FencedResource<T> {
  let value: T | undefined;
  let highestToken = 0;
  const history: FencedWriteRecord<T>[] = [];
  const checkToken = (token: number) => {
    if (!Number.isSafeInteger(token) || token < 0)
      throw badRequest(`fencing token must be an integer ≥ 0, got ${token}`);
  };
  return {
    write(token, next, writer = '') {
      checkToken(token);
      if (token < highestToken) {
        history.push({ token, value: next, writer, accepted: false });
        return { type: 'fenced', highestToken };
      }
      highestToken = token;
      value = next;
      history.push({ token, value: next, writer, accepted: true });
      return { type: 'written' };
    },
    writeUnfenced(token, next, writer = '') {
      checkToken(token);
      highestToken = Math.max(highestToken, token);
      value = next;
      history.push({ token, value: next, writer, accepted: true });
      return { type: 'written' };
    },
    get value() {
      return value;
    },
    get highestToken() {
      return highestToken;
    },
    history,
  };
}

/**
 * The safety property fencing gives: once a write with token t is accepted, no write with a
 * smaller token is accepted afterwards. Returns the first offending pair, or undefined.
 */
export function findStaleWrite<T>(
  history: readonly FencedWriteRecord<T>[],
): { readonly earlier: FencedWriteRecord<T>; readonly later: FencedWriteRecord<T> } | undefined {
  let highest: FencedWriteRecord<T> | undefined;
  for (const record of history) {
    if (!record.accepted) continue;
    if (highest && record.token < highest.token) return { earlier: highest, later: record };
    if (!highest || record.token > highest.token) highest = record;
  }
  return undefined;
}
