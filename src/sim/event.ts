/**
 * One scheduled kernel event. A single fixed-shape class (tagged by `kind`) keeps the hot
 * loop monomorphic. Node-owned events remember the owner's incarnation: when it has changed
 * (crash, restart) the event is stale and does nothing.
 */

import type { Envelope } from './network.js';
import type { NodeState } from './node.js';
import type { EventQueue, Queued } from './queue.js';
import type { TimerHandle } from './types.js';

export type EventKind = 'deliver' | 'timer' | 'action';

/** The event is its own cancel handle (no closure per timer): cancelling takes it out of its queue. */
export class SimEvent implements Queued, TimerHandle {
  seq = 0;
  queued = false;
  slot = 0;
  cancelled = false;
  /** The queue a cancel takes it out of (set for timers and scheduled actions). */
  owner: EventQueue<SimEvent> | null = null;

  constructor(
    public time: number,
    readonly kind: EventKind,
    /** The owning node (timer, action run as a node) or receiver (deliver); null for the world. */
    readonly node: NodeState | null,
    readonly incarnation: number,
    /** Timer callback or action. */
    readonly fn: (() => unknown) | null,
    readonly envelope: Envelope | null,
    /** Timer id (kind 'timer'). */
    readonly id: number,
    /** Repeat period in true ms for intervals; 0 for one-shot events. */
    readonly period: number,
    /** Trace label for actions; '' traces nothing. */
    readonly label: string,
  ) {}

  cancel(): void {
    this.cancelled = true;
    this.owner?.remove(this);
  }
}
