/**
 * A unary message on its way to the wire: encoded by its codec, or — on a connection that passes
 * values (`Connection.values`, the simulator's sampled codec mode) and says this one may — handed
 * over as the value itself. Every message that is encoded on such a connection is also decoded
 * here and compared with the value, so the connection learns which messages its codec changes (a
 * Date that JSON turns into a string, a dropped field, a codec bug) and can keep encoding those.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Codec } from '../codec/types.js';
import type { Carried, Direction, ValuePassing } from './types.js';

/** What goes into a frame: `body`, or `carried` with an empty body. */
export interface WireMessage {
  readonly body: Uint8Array;
  readonly carried: Carried | undefined;
}

const EMPTY = new Uint8Array(0);

export function toWire(
  codec: Codec,
  value: unknown,
  values: ValuePassing | undefined,
  endpoint: string,
  direction: Direction,
): WireMessage {
  if (values === undefined) return { body: codec.encode(value), carried: undefined };
  const size = values.passes(endpoint, direction);
  if (size !== undefined) return { body: EMPTY, carried: { value, size } };
  const body = codec.encode(value);
  values.encoded(endpoint, direction, body.length, decodesTo(codec, body, value));
  return { body, carried: undefined };
}

/** The message a frame holds: its carried value, or its body decoded. */
export function fromWire(codec: Codec, body: Uint8Array, carried: Carried | undefined): unknown {
  return carried === undefined ? codec.decode(body) : carried.value;
}

function decodesTo(codec: Codec, body: Uint8Array, value: unknown): boolean {
  try {
    return isDeepStrictEqual(codec.decode(body), value);
  } catch {
    return false;
  }
}
