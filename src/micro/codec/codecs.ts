/**
 * Codecs: the set of codecs a client or server speaks, looked up by content type or by name.
 * Custom codecs are registered by name beside the built-in ones.
 */
import { badRequest } from '../errors.js';
import { jsonCodec } from './json.js';
import { msgpackCodec } from './msgpack.js';
import type { Codec } from './types.js';

export const DEFAULT_CONTENT_TYPE = jsonCodec.contentType;

export class Codecs {
  readonly #byType = new Map<string, Codec>();
  readonly #byName = new Map<string, Codec>();

  constructor(codecs: Iterable<Codec> = [jsonCodec, msgpackCodec]) {
    for (const codec of codecs) this.register(codec);
  }

  /** Add (or replace) a codec; it answers to its name and its content type. */
  register(codec: Codec): this {
    if (!codec.name || !codec.contentType) throw badRequest('a codec needs a non-empty `name` and `contentType`');
    this.#byType.set(codec.contentType.toLowerCase(), codec);
    this.#byName.set(codec.name, codec);
    return this;
  }

  /** The codec for a content type (parameters after `;` are ignored); BAD_REQUEST if unknown. */
  forContentType(contentType: string): Codec {
    const exact = this.#byType.get(contentType);
    if (exact !== undefined) return exact;
    const key = contentType.split(';', 1)[0]!.trim().toLowerCase();
    const codec = this.#byType.get(key);
    if (codec === undefined) {
      throw badRequest(`unknown content type '${contentType}' (known: ${[...this.#byType.keys()].join(', ')})`, {
        id: 'codec',
      });
    }
    return codec;
  }

  /** The codec registered under `name`; BAD_REQUEST if unknown. */
  byName(name: string): Codec {
    const codec = this.#byName.get(name);
    if (codec === undefined) {
      throw badRequest(`unknown codec '${name}' (known: ${[...this.#byName.keys()].join(', ')})`, { id: 'codec' });
    }
    return codec;
  }

  get contentTypes(): string[] {
    return [...this.#byType.keys()];
  }
}
