/**
 * A tiny in-process world for the framework's own tests: one manual runtime, one memory registry,
 * transport and broker, and a `service()` helper that creates services wired to them (quiet logger).
 */
import { type MemoryBroker, memoryBroker } from '../broker/memory.js';
import { memoryLogger } from '../logger/memory.js';
import { MemoryRegistry } from '../registry/memory.js';
import { createService, type ServiceOptions } from '../service/service.js';
import type { MicroService } from '../service/types.js';
import { MemoryTransport } from '../transport/memory.js';
import { type ManualRuntime, manualRuntime } from './manual-runtime.js';

export interface TestWorld {
  readonly runtime: ManualRuntime;
  readonly registry: MemoryRegistry;
  readonly transport: MemoryTransport;
  readonly broker: MemoryBroker;
  readonly logger: ReturnType<typeof memoryLogger>;
  /** Create a service in this world; started ones are stopped by `stopAll`. */
  service(options: ServiceOptions): MicroService;
  /** Create and start a service serving `handlers` ({ HandlerName: object }). */
  serve(name: string, handlers: Record<string, object>, options?: Partial<ServiceOptions>): Promise<MicroService>;
  stopAll(): Promise<void>;
}

export function testWorld(seed = 1): TestWorld {
  const runtime = manualRuntime({ seed });
  const registry = new MemoryRegistry({ runtime });
  const transport = new MemoryTransport();
  const broker = memoryBroker({ runtime });
  const logger = memoryLogger({ clock: runtime.clock });
  const services: MicroService[] = [];
  const world: TestWorld = {
    runtime,
    registry,
    transport,
    broker,
    logger,
    service(options) {
      const service = createService({ runtime, registry, transport, broker, logger, ...options });
      services.push(service);
      return service;
    },
    async serve(name, handlers, options = {}) {
      const service = world.service({ ...options, name });
      for (const [handlerName, handler] of Object.entries(handlers)) service.handle(handlerName, handler);
      await service.start();
      return service;
    },
    async stopAll() {
      await Promise.all(services.map((s) => s.stop()));
    },
  };
  return world;
}
