/**
 * Model-based test: random sequences of store operations (writes with and without TTL,
 * compare-and-set with the current or a stale revision, deletes, reads, listings, time
 * passing) run against the memory store and a tiny reference model; every answer must agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ManualRuntime, manualRuntime } from '../../conformance/support.js';
import { drive } from '../../fakes/driven.js';
import { storeNode } from '../../fakes/store.js';
import { createSim, type NodeContext } from '../../sim/index.js';
import { memoryStore } from './memory.js';
import type { Store } from './types.js';

interface Entry {
  readonly value: string;
  readonly revision: number;
  readonly expiresAt: number | undefined;
}
interface Model {
  now: number;
  readonly entries: Map<string, Entry>;
}
interface Real {
  readonly store: Store;
  readonly runtime: Pick<ManualRuntime, 'advance'>;
}
type StoreCommand = fc.AsyncCommand<Model, Real>;

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function live(model: Model, key: string): Entry | undefined {
  const entry = model.entries.get(key);
  return entry && (entry.expiresAt === undefined || model.now < entry.expiresAt) ? entry : undefined;
}

const KEYS = ['a', 'ab', 'abc', 'b', 'ba/1', 'é/🦊'];
const key = fc.constantFrom(...KEYS);
const value = fc.string({ maxLength: 6 });
const ttl = fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined });

class Write implements StoreCommand {
  constructor(
    readonly key: string,
    readonly value: string,
    readonly ttlMs: number | undefined,
  ) {}
  check = () => true;
  async run(model: Model, { store }: Real) {
    const previous = model.entries.get(this.key)?.revision ?? 0;
    const result = await store.write(
      { key: this.key, value: enc(this.value) },
      this.ttlMs ? { ttlMs: this.ttlMs } : {},
    );
    if (result.type !== 'ok') throw new Error('an unconditional write conflicted');
    expect(result.revision).toBeGreaterThan(previous);
    const expiresAt = this.ttlMs === undefined ? undefined : model.now + this.ttlMs;
    model.entries.set(this.key, { value: this.value, revision: result.revision, expiresAt });
  }
  toString = () => `write(${this.key}, ${JSON.stringify(this.value)}${this.ttlMs ? `, ttl ${this.ttlMs}` : ''})`;
}

class CompareAndSet implements StoreCommand {
  constructor(
    readonly key: string,
    readonly value: string,
    readonly stale: boolean,
  ) {}
  check = () => true;
  async run(model: Model, { store }: Real) {
    const current = live(model, this.key);
    const expected = current?.revision ?? 0;
    const ifRevision = this.stale ? expected + 1_000_000 : expected;
    const result = await store.write({ key: this.key, value: enc(this.value) }, { ifRevision });
    if (this.stale) {
      expect(result).toMatchObject({ type: 'conflict' });
      expect(result.type === 'conflict' ? result.current?.revision : 'ok').toBe(current?.revision);
      return;
    }
    expect(result.type).toBe('ok');
    if (result.type === 'ok')
      model.entries.set(this.key, { value: this.value, revision: result.revision, expiresAt: undefined });
  }
  toString = () => `cas(${this.key}, ${JSON.stringify(this.value)}, ${this.stale ? 'stale' : 'current'})`;
}

class Delete implements StoreCommand {
  constructor(readonly key: string) {}
  check = () => true;
  async run(model: Model, { store }: Real) {
    const existed = live(model, this.key) !== undefined;
    expect(await store.delete(this.key)).toEqual({ type: 'ok', deleted: existed });
    model.entries.delete(this.key);
  }
  toString = () => `delete(${this.key})`;
}

class Read implements StoreCommand {
  constructor(readonly key: string) {}
  check = () => true;
  async run(model: Model, { store }: Real) {
    const expected = live(model, this.key);
    const record = await store.read(this.key);
    expect(record && { value: dec(record.value), revision: record.revision }).toEqual(
      expected && { value: expected.value, revision: expected.revision },
    );
  }
  toString = () => `read(${this.key})`;
}

class List implements StoreCommand {
  constructor(
    readonly prefix: string,
    readonly offset: number,
    readonly limit: number | undefined,
  ) {}
  check = () => true;
  async run(model: Model, { store }: Real) {
    const keys = [...model.entries.keys()]
      .filter((k) => k.startsWith(this.prefix) && live(model, k))
      .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    const expected = keys.slice(this.offset, this.limit === undefined ? undefined : this.offset + this.limit);
    const options = {
      prefix: this.prefix,
      offset: this.offset,
      ...(this.limit === undefined ? {} : { limit: this.limit }),
    };
    expect(await store.list(options)).toEqual(expected);
  }
  toString = () => `list(${JSON.stringify(this.prefix)}, offset ${this.offset}, limit ${this.limit})`;
}

class Advance implements StoreCommand {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(model: Model, { runtime }: Real) {
    await runtime.advance(this.ms);
    model.now += this.ms;
  }
  toString = () => `advance(${this.ms})`;
}

const commandsWith = (ttls: fc.Arbitrary<number | undefined>) =>
  fc.commands(
    [
      fc.tuple(key, value, ttls).map(([k, v, t]) => new Write(k, v, t)),
      fc.tuple(key, value, fc.boolean()).map(([k, v, s]) => new CompareAndSet(k, v, s)),
      key.map((k) => new Delete(k)),
      key.map((k) => new Read(k)),
      fc
        .tuple(fc.constantFrom('', 'a', 'ab', 'b', 'é'), fc.nat(3), fc.option(fc.nat(3), { nil: undefined }))
        .map(([p, o, l]) => new List(p, o, l)),
      fc.integer({ min: 1, max: 4 }).map((ms) => new Advance(ms)),
    ],
    { maxCommands: 40 },
  );

describe('memory store against a reference model', () => {
  it('agrees on every answer over random operation sequences', async () => {
    await fc.assert(
      fc.asyncProperty(commandsWith(ttl), async (cmds) => {
        const runtime = manualRuntime();
        const setup = () => ({
          model: { now: 0, entries: new Map() },
          real: { store: memoryStore({ runtime }), runtime },
        });
        await fc.asyncModelRun(setup, cmds);
      }),
      { numRuns: 150 },
    );
  });
});

describe('simulated store fake against the same model', () => {
  // TTLs are left out here: every call crosses the network, so the store's clock moves by the
  // link latency and the model's exact expiry instants would not hold (the conformance suite
  // covers TTL on the fake).
  it('agrees on every answer over random operation sequences', async () => {
    await fc.assert(
      fc.asyncProperty(commandsWith(fc.constant(undefined)), fc.integer({ min: 1, max: 1_000 }), async (cmds, seed) => {
        const sim = createSim({ seed });
        try {
          const node = storeNode(sim);
          let app!: NodeContext;
          sim.node('app', (ctx) => {
            app = ctx;
          });
          await sim.runFor(0);
          const driven = drive(sim);
          const store = driven.wrap(node.client(app));
          const setup = () => ({ model: { now: 0, entries: new Map() }, real: { store, runtime: driven } });
          await fc.asyncModelRun(setup, cmds);
        } finally {
          sim.dispose();
        }
      }),
      { numRuns: 40 },
    );
  });
});
