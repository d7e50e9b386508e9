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

  constructor(transport: Transport, window?: number) {
    this.#transport = transport;
    this.#window = window;
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
      });
      return mux;
    });
    dialing.catch(() => {
      if (this.#muxes.get(address) === dialing) this.#muxes.delete(address);
    });
    this.#muxes.set(address, dialing);
    return dialing;
  }

  /** Drop the connection to `address` (e.g. after it timed out): the next call redials. */
  drop(address: string): void {
    const mux = this.#muxes.get(address);
    this.#muxes.delete(address);
    void mux?.then(
      (m) => m.close(),
      () => {},
    );
  }

  async close(): Promise<void> {
    const all = [...this.#muxes.values()];
    this.#muxes.clear();
    for (const settled of await Promise.allSettled(all)) if (settled.status === 'fulfilled') settled.value.close();
  }
}
