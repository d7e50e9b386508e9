/**
 * The greeter: the smallest useful Microcosm service. The same code runs in-process
 * (greeter.test.ts), inside the simulator (greeter.sim.test.ts) and over real TCP
 * (greeter.tcp.test.ts) — only the plugins handed to `createGreeter` change.
 */
import {
  type CallContext,
  createService,
  type MicroService,
  remainingMs,
  type ServiceOptions,
} from '@microcosm-ts/core';

export interface HelloRequest {
  readonly name: string;
}

export interface HelloReply {
  readonly message: string;
  /** Which node answered (its transport address), so tests can see balancing and failover. */
  readonly from: string;
}

export class Greeter {
  readonly #from: () => string;

  constructor(from: () => string) {
    this.#from = from;
  }

  async Hello(request: HelloRequest, context: CallContext): Promise<HelloReply> {
    const polite = context.metadata.formal === 'yes' ? 'Good day' : 'Hello';
    return { message: `${polite}, ${request.name}`, from: this.#from() };
  }

  /** Server streaming: `count` greetings, stopping early if the caller cancels. */
  async *Chorus(request: HelloRequest & { readonly count: number }, context: CallContext): AsyncGenerator<HelloReply> {
    for (let i = 1; i <= request.count && !context.signal.aborted; i++) {
      yield { message: `Hello #${i}, ${request.name}`, from: this.#from() };
    }
  }

  /** How much time the caller left this call (for deadline-propagation demos). */
  async Budget(_request: unknown, context: CallContext): Promise<number | undefined> {
    return remainingMs(context);
  }
}

/** The greeter service, on whatever plugins the caller supplies (memory ones when none). */
export function createGreeter(plugins: Omit<ServiceOptions, 'name'> = {}): MicroService {
  const service: MicroService = createService({ version: '1.0.0', ...plugins, name: 'greeter' });
  return service.handle('Greeter', new Greeter(() => service.server.address ?? 'not started'));
}
