/**
 * Model test: random joins, leaves, publishes and time passing on one at-least-once queue group
 * of the memory broker, whose members ack, fail once, or hang. Checked against a model of which
 * messages the group owes: nothing reaches a member after it left, no message is acked twice,
 * and once a reliable member joins every owed message is acked exactly once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ManualRuntime, manualRuntime } from '../../conformance/support.js';
import { type BrokerEvent, type MemoryBroker, memoryBroker } from './memory.js';
import type { Subscription } from './types.js';

const ACK_TIMEOUT = 10;
type Behaviour = 'ack' | 'fail-once' | 'hang';

interface Model {
  /** Set once the group exists: from then on it keeps what its members have not acked. */
  groupExists: boolean;
  owed: Set<string>;
  members: number[];
}

interface Real {
  runtime: ManualRuntime;
  broker: MemoryBroker;
  subscriptions: Map<number, { subscription: Subscription; active: boolean }>;
  events: BrokerEvent[];
  lateDeliveries: number;
  nextMember: number;
}

class Join implements fc.AsyncCommand<Model, Real> {
  constructor(readonly behaviour: Behaviour) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const member = r.nextMember++;
    const seen = new Set<string>();
    const state = { subscription: undefined as unknown as Subscription, active: true };
    state.subscription = await r.broker.connect(`m${member}`).subscribe(
      'jobs',
      (message) => {
        if (!state.active) r.lateDeliveries++;
        const first = !seen.has(message.id);
        seen.add(message.id);
        if (this.behaviour === 'hang') return new Promise<void>(() => {});
        if (this.behaviour === 'fail-once' && first) throw new Error('transient');
      },
      { queue: 'workers', delivery: 'at-least-once', ackTimeoutMs: ACK_TIMEOUT },
    );
    r.subscriptions.set(member, state);
    m.members.push(member);
    m.groupExists = true;
  }
  toString = () => `join(${this.behaviour})`;
}

class Leave implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.members.length > 0;
  async run(m: Model, r: Real) {
    const [member] = m.members.splice(this.pick % m.members.length, 1);
    const state = r.subscriptions.get(member!)!;
    await state.subscription.unsubscribe();
    state.active = false;
  }
  toString = () => `leave(#${this.pick})`;
}

class Publish implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const id = await r.broker.publish('jobs', new Uint8Array([1]));
    if (m.groupExists) m.owed.add(id);
  }
  toString = () => 'publish';
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_m: Model, r: Real) {
    await r.runtime.advance(this.ms);
  }
  toString = () => `advance(${this.ms})`;
}

const commands = fc.commands(
  [
    fc.constantFrom<Behaviour>('ack', 'fail-once', 'hang').map((b) => new Join(b)),
    fc.nat(7).map((p) => new Leave(p)),
    fc.constant(new Publish()),
    fc.constant(new Publish()),
    fc.integer({ min: 0, max: 2 * ACK_TIMEOUT }).map((ms) => new Advance(ms)),
  ],
  { maxCommands: 40, size: 'large' },
);

describe('memory broker queue group against a model', () => {
  it('owes every message to the group until acked, acks each once, and never delivers to a member that left', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const runtime = manualRuntime();
        const events: BrokerEvent[] = [];
        const broker = memoryBroker({ runtime, onEvent: (e) => events.push(e) });
        const model: Model = { groupExists: false, owed: new Set(), members: [] };
        const real: Real = { runtime, broker, subscriptions: new Map(), events, lateDeliveries: 0, nextMember: 0 };
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        // Hanging members leave, a reliable one joins: the group must now settle all it owes.
        for (const member of [...model.members]) await new Leave(model.members.indexOf(member)).run(model, real);
        await new Join('ack').run(model, real);
        await runtime.advance(20 * ACK_TIMEOUT);
        const acks = events.filter((e) => e.type === 'broker.ack').map((e) => e.id);
        expect(new Set(acks)).toEqual(model.owed);
        expect(acks).toHaveLength(model.owed.size);
        expect(real.lateDeliveries).toBe(0);
      }),
      { numRuns: 80 },
    );
  });
});
