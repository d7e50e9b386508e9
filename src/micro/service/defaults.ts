/**
 * The in-process defaults: services that share a runtime and leave out registry, transport or
 * broker share one memory registry, one memory transport and one memory broker, so they find and call each other with zero
 * infrastructure. Keyed by runtime (a WeakMap), so two simulated nodes or two tests with their own
 * runtimes never see each other's services.
 */
import { type MemoryBroker, memoryBroker } from '../broker/memory.js';
import { liveRuntime } from '../live.js';
import { MemoryRegistry } from '../registry/memory.js';
import type { Runtime } from '../runtime.js';
import { MemoryTransport } from '../transport/memory.js';

interface InProcessWorld {
  readonly registry: MemoryRegistry;
  readonly transport: MemoryTransport;
  readonly broker: MemoryBroker;
}

const worlds = new WeakMap<Runtime, InProcessWorld>();

export function inProcessDefaults(runtime: Runtime = liveRuntime): InProcessWorld {
  let world = worlds.get(runtime);
  if (world === undefined) {
    world = {
      registry: new MemoryRegistry({ runtime }),
      transport: new MemoryTransport(),
      broker: memoryBroker({ runtime }),
    };
    worlds.set(runtime, world);
  }
  return world;
}
