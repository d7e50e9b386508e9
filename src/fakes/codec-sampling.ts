/**
 * The sim transport's codec modes: how often a unary message really goes through its codec.
 *
 * - `'always'`: every message is encoded by the sender and decoded by the receiver, as on any wire.
 * - `'sampled'` (the default): the codec runs on the first message of each endpoint and direction
 *   (request, reply) a node sends, and again on a seeded sample of the rest (`codecSampleRate`, from
 *   the node's random stream `codec-sample`); each encoded message is also decoded at the sender
 *   and compared with the value. Once the round trip has changed a value of that endpoint and
 *   direction — a Date that JSON turns into a string, a field a codec drops, a bigint it mangles —
 *   every later message of it is encoded, so its receivers see what a real wire would give them.
 *   The other messages cross as an owned copy (`sim/owned-copy.ts`), charged the size their last
 *   encoding measured.
 *
 * What sampling can miss: a value the codec would change (or refuse) that first appears in an
 * unsampled message is handed over unchanged until a sampled message of its endpoint shows the
 * change. Use `'always'` to make every message honest at the codec's price.
 */

import type { Direction, ValuePassing } from '../micro/transport/types.js';
import type { Random } from '../sim/types.js';

export type CodecMode = 'always' | 'sampled';
export const CODEC_MODES: readonly CodecMode[] = ['always', 'sampled'];
export const DEFAULT_CODEC_MODE: CodecMode = 'sampled';
/** Share of the messages of a faithful endpoint that still go through the codec. */
export const DEFAULT_CODEC_SAMPLE_RATE = 1 / 16;

/** What a node has learnt of one endpoint and direction's messages. */
interface Kind {
  /** Bytes its last encoding took. */
  size: number;
  /** The codec changed one of its values: encode every message of it from now on. */
  lossy: boolean;
}

export class CodecSampler implements ValuePassing {
  readonly #random: Random;
  readonly #rate: number;
  readonly #requests = new Map<string, Kind>();
  readonly #replies = new Map<string, Kind>();

  constructor(random: Random, rate: number) {
    this.#random = random;
    this.#rate = rate;
  }

  passes(endpoint: string, direction: Direction): number | undefined {
    const kind = (direction === 'request' ? this.#requests : this.#replies).get(endpoint);
    if (kind === undefined || kind.lossy) return undefined;
    return this.#random.next() < this.#rate ? undefined : kind.size;
  }

  encoded(endpoint: string, direction: Direction, size: number, faithful: boolean): void {
    const kinds = direction === 'request' ? this.#requests : this.#replies;
    const kind = kinds.get(endpoint);
    if (kind === undefined) kinds.set(endpoint, { size, lossy: !faithful });
    else {
      kind.size = size;
      if (!faithful) kind.lossy = true;
    }
  }
}
