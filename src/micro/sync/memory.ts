/** The in-process Sync: {@link createSync} over {@link memoryLockDriver}, for one process. */
import { liveRuntime } from '../live.js';
import { type MemoryLockDriverOptions, memoryLockDriver } from './memory-driver.js';
import { createSync, type SyncOptions } from './sync.js';
import type { Sync } from './types.js';

export interface MemorySyncOptions extends SyncOptions {
  /** Called for every grant, refresh, release and expiry on the service side. Default: nothing. */
  readonly onServiceEvent?: MemoryLockDriverOptions['onEvent'];
}

export function memorySync(options: MemorySyncOptions = {}): Sync {
  const runtime = options.runtime ?? liveRuntime;
  const driver = memoryLockDriver(runtime, options.onServiceEvent ? { onEvent: options.onServiceEvent } : {});
  return createSync(driver, { ...options, runtime });
}
