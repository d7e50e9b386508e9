/**
 * The in-process transport: connections are pairs of queues inside one process. Frames cross on
 * the microtask queue, so a send never re-enters the receiver synchronously.
 *
 * Listen on `''` (or any address starting `memory://` that is free) and the transport picks a
 * unique `memory://…` address. Transports created separately do not see each other; services
 * that should talk share one (as `createService` does for services sharing a runtime).
 */
import { badRequest, unavailable } from '../errors.js';
import type { Connection, DialOptions, Frame, Listener, Transport } from './types.js';

export class MemoryTransport implements Transport {
  readonly name = 'memory';
  readonly #listeners = new Map<string, { accept: (c: Connection) => void; connections: Set<MemoryConnection> }>();
  #nextAddress = 1;

  async listen(address: string, accept: (connection: Connection) => void): Promise<Listener> {
    const chosen = address === '' ? `memory://${this.#nextAddress++}` : address;
    if (this.#listeners.has(chosen)) throw badRequest(`memory transport: address '${chosen}' is already in use`);
    const entry = { accept, connections: new Set<MemoryConnection>() };
    this.#listeners.set(chosen, entry);
    return {
      address: chosen,
      close: async () => {
        this.#listeners.delete(chosen);
        for (const connection of entry.connections) connection.close();
      },
    };
  }

  async dial(address: string, options: DialOptions = {}): Promise<Connection> {
    options.signal?.throwIfAborted();
    const listener = this.#listeners.get(address);
    if (listener === undefined)
      throw unavailable(`memory transport: nobody listens on '${address}'`, { id: 'transport' });
    const [near, far] = MemoryConnection.pair(address, 'memory://dialer');
    listener.connections.add(far);
    far.onClose(() => listener.connections.delete(far));
    listener.accept(far);
    return near;
  }
}

export function memoryTransport(): MemoryTransport {
  return new MemoryTransport();
}

class MemoryConnection implements Connection {
  readonly remote: string;
  #peer!: MemoryConnection;
  #closed = false;
  #frameHandler: ((frame: Frame) => void) | undefined;
  readonly #buffered: Frame[] = [];
  readonly #closeHandlers: Array<(reason?: Error) => void> = [];

  static pair(farAddress: string, nearAddress: string): [MemoryConnection, MemoryConnection] {
    const near = new MemoryConnection(farAddress);
    const far = new MemoryConnection(nearAddress);
    near.#peer = far;
    far.#peer = near;
    return [near, far];
  }

  private constructor(remote: string) {
    this.remote = remote;
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(frame: Frame): void {
    if (this.#closed) throw unavailable(`memory connection to ${this.remote} is closed`, { id: 'transport' });
    const peer = this.#peer;
    queueMicrotask(() => peer.#deliver(frame));
  }

  onFrame(handler: (frame: Frame) => void): void {
    this.#frameHandler = handler;
    for (const frame of this.#buffered.splice(0)) handler(frame);
  }

  onClose(handler: (reason?: Error) => void): void {
    this.#closeHandlers.push(handler);
  }

  close(reason?: Error): void {
    if (this.#closed) return;
    this.#shut(reason);
    const peer = this.#peer;
    queueMicrotask(() => peer.#shut(reason));
  }

  #deliver(frame: Frame): void {
    if (this.#closed) return;
    if (this.#frameHandler === undefined) this.#buffered.push(frame);
    else this.#frameHandler(frame);
  }

  #shut(reason?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const handler of this.#closeHandlers.splice(0)) handler(reason);
  }
}
