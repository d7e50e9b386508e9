// `@microcosm-ts/core/plugins/file`: a durable store in a directory (no client library needed).
import { createStore, type StoreOptions } from '../../micro/store/store.js';
import type { Store } from '../../micro/store/types.js';
import { type FileStoreOptions, fileStoreDriver } from './store.js';

export { atomicWrite } from './atomic-write.js';
export { type FileStoreOptions, fileStoreDriver } from './store.js';

/** A Store kept in `dir`, durable across crashes (see `store.ts` for the layout and its limits). */
export async function fileStore(options: FileStoreOptions & Omit<StoreOptions, 'driver'>): Promise<Store> {
  const { dir, ...rest } = options;
  return createStore({ ...rest, driver: await fileStoreDriver({ dir }) });
}
