/**
 * Metadata: string key/value pairs that travel with a call (like HTTP headers), from the caller
 * to the handler and on through every nested call made with the handler's context.
 *
 * Contract. Keys are case-insensitive and stored lower-case; values are strings. Metadata is
 * immutable: {@link mergeMetadata} returns a new object, later sources win.
 */
export type Metadata = Readonly<Record<string, string>>;

export const EMPTY_METADATA: Metadata = Object.freeze({});

/** Merge metadata objects into a new one; keys are lower-cased, later sources win. */
export function mergeMetadata(...sources: ReadonlyArray<Metadata | undefined>): Metadata {
  const out: Record<string, string> = {};
  for (const source of sources) {
    if (source === undefined) continue;
    for (const [key, value] of Object.entries(source)) out[key.toLowerCase()] = value;
  }
  return out;
}
