/**
 * A node's clock: true virtual time seen through an offset (skew) and a rate (drift). Changes
 * take effect from the moment they are made, so the clock never jumps except by an explicit skew.
 */
export class NodeClock {
  readonly #startTime: number;
  /** Virtual time of the last change, and the local reading at that moment. */
  #anchorVirtual = 0;
  #anchorLocal: number;
  #rate = 1;

  constructor(startTime: number) {
    this.#startTime = startTime;
    this.#anchorLocal = startTime;
  }

  get rate(): number {
    return this.#rate;
  }

  /** Epoch ms as the node sees it at virtual time `virtualNow`. */
  read(virtualNow: number): number {
    return this.#anchorLocal + (virtualNow - this.#anchorVirtual) * this.#rate;
  }

  /** From `virtualNow` on, read true time + `offsetMs`. */
  skew(virtualNow: number, offsetMs: number): void {
    this.#anchorVirtual = virtualNow;
    this.#anchorLocal = this.#startTime + virtualNow + offsetMs;
  }

  /** From `virtualNow` on, advance `rate` local ms per true ms. */
  drift(virtualNow: number, rate: number): void {
    this.#anchorLocal = this.read(virtualNow);
    this.#anchorVirtual = virtualNow;
    this.#rate = rate;
  }

  /** True ms until `localMs` of this clock have passed. */
  toVirtual(localMs: number): number {
    return this.#rate === 1 ? localMs : localMs / this.#rate;
  }
}
