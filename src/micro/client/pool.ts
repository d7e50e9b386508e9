/**
 * One multiplexed connection per node address, dialled on first use and shared by every call to
 * that node; a connection that closes (or fails to dial) is forgotten so the next call redials.
 */
import type { Mux } from '../transport/mux.js';
import { Mux as MuxClass } from '../transport/mux.js';
import type { Transport } from '../transport/types.js';

export class ConnectionPool {
  readonly #transport: Transport;
  readonly #window: number | undefined;
  readonly #muxes = new Map<string, Promise<Mux>>();
  readonly #ready = new Map<string, Mux>();

  constructor(transport: Transport, window?: number) {
    this.#transport = transport;
    this.#window = window;
  }

  /** The open connection to `address`, if there is one already (no dial, no promise). */
  ready(address: string): Mux | undefined {
    return this.#ready.get(address);
  }

  get(address: string, signal?: AbortSignal): Promise<Mux> {
    const existing = this.#muxes.get(address);
    if (existing !== undefined) return existing;
    const dialing = this.#transport.dial(address, signal === undefined ? {} : { signal }).then((connection) => {
      const mux = new MuxClass(
        connection,
        this.#window === undefined ? { role: 'dialer' } : { role: 'dialer', window: this.#window },
      );
      mux.onClose(() => {
        if (this.#muxes.get(address) === dialing) this.#muxes.delete(address);
        if (this.#ready.get(address) === mux) this.#ready.delete(address);
      });
      if (!mux.closed) this.#ready.set(address, mux);
      return mux;
    });
    dialing.catch(() => {
      if (this.#muxes.get(address) === dialing) this.#muxes.delete(address);
    });
    this.#muxes.set(address, dialing);
    return dialing;
  }

  async close(): Promise<void> {
    const all = [...this.#muxes.values()];
    this.#muxes.clear();
    this.#ready.clear();
    for (const settled of await Promise.allSettled(all)) if (settled.status === 'fulfilled') settled.value.close();
  }
}
