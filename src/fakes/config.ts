/**
 * Config as infrastructure: a config server on a node of the simulated world (default name
 * `config`) holding documents (JSON or YAML text, one per key) in a store; services read them
 * through `storeSource` over a store client, polling the revision on their own clock. So a
 * partition from `config` makes reloads fail — and the last good config stays — exactly as
 * with a real KV-backed config service.
 */
import type { ConfigFormat } from '../micro/config/document.js';
import { storeSource } from '../micro/config/store-source.js';
import type { ConfigSource, ConfigTree } from '../micro/config/types.js';
import type { Sim } from '../sim/index.js';
import type { RemotePort } from './remote.js';
import { type StoreNode, storeNode } from './store.js';

export const DEFAULT_CONFIG_NODE = 'config';
export const CONFIG_TABLE = 'config';

export interface ConfigSourceOptions {
  /** The document's key. Required. */
  readonly key: string;
  /** Default: json. */
  readonly format?: ConfigFormat;
  /** Revision polling interval, in ms, on the client's clock. Default: storeSource's (1 000). */
  readonly pollMs?: number;
  /** How long a call waits for the node's reply. Default: remote's (1 000 ms). */
  readonly timeoutMs?: number;
}

export interface ConfigNode {
  readonly name: string;
  readonly store: StoreNode;
  /** A config source for code running on the node whose context this is. */
  source(ctx: RemotePort & { readonly runtime: RemotePort['runtime'] }, options: ConfigSourceOptions): ConfigSource;
  /** Publish a document as an operator would, on the config node (a tree is written as JSON). */
  publish(key: string, document: ConfigTree | string): Promise<void>;
}

export function configNode(sim: Sim, options: { readonly name?: string } = {}): ConfigNode {
  const name = options.name ?? DEFAULT_CONFIG_NODE;
  const store = storeNode(sim, { name });
  return {
    name,
    store,
    source(ctx, sourceOptions) {
      const { key, format, pollMs, timeoutMs } = sourceOptions;
      return storeSource({
        store: store.client(ctx, { table: CONFIG_TABLE, ...(timeoutMs === undefined ? {} : { timeoutMs }) }),
        key,
        runtime: ctx.runtime,
        ...(format === undefined ? {} : { format }),
        ...(pollMs === undefined ? {} : { pollMs }),
      });
    },
    async publish(key, document) {
      const text = typeof document === 'string' ? document : JSON.stringify(document);
      await store.direct({ table: CONFIG_TABLE }).write({ key, value: new TextEncoder().encode(text) });
    },
  };
}
