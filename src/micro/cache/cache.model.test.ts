/**
 * Model-based test: random sequences of cache sets (with and without TTL, over a default
 * TTL), gets, deletes and time passing, against the memory cache and a tiny reference model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ManualRuntime, manualRuntime } from '../../conformance/support.js';
import { memoryCache } from './cache.js';
import type { Cache, JsonValue } from './types.js';

const DEFAULT_TTL = 6;

interface Model {
  now: number;
  readonly entries: Map<string, { readonly value: JsonValue; readonly expiresAt: number | undefined }>;
}
interface Real {
  readonly cache: Cache;
  readonly runtime: ManualRuntime;
}
type CacheCommand = fc.AsyncCommand<Model, Real>;

const liveValue = (model: Model, key: string) => {
  const entry = model.entries.get(key);
  return entry && (entry.expiresAt === undefined || model.now < entry.expiresAt) ? entry.value : undefined;
};

class Set_ implements CacheCommand {
  constructor(
    readonly key: string,
    readonly value: JsonValue,
    readonly ttlMs: number | undefined,
  ) {}
  check = () => true;
  async run(model: Model, { cache }: Real) {
    await cache.set(this.key, this.value, this.ttlMs === undefined ? {} : { ttlMs: this.ttlMs });
    model.entries.set(this.key, { value: this.value, expiresAt: model.now + (this.ttlMs ?? DEFAULT_TTL) });
  }
  toString = () => `set(${this.key}, ${JSON.stringify(this.value)}, ttl ${this.ttlMs ?? 'default'})`;
}

class Get implements CacheCommand {
  constructor(readonly key: string) {}
  check = () => true;
  async run(model: Model, { cache }: Real) {
    expect(await cache.get(this.key)).toEqual(liveValue(model, this.key));
  }
  toString = () => `get(${this.key})`;
}

class Delete implements CacheCommand {
  constructor(readonly key: string) {}
  check = () => true;
  async run(model: Model, { cache }: Real) {
    expect(await cache.delete(this.key)).toBe(liveValue(model, this.key) !== undefined);
    model.entries.delete(this.key);
  }
  toString = () => `delete(${this.key})`;
}

class Advance implements CacheCommand {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(model: Model, { runtime }: Real) {
    await runtime.advance(this.ms);
    model.now += this.ms;
  }
  toString = () => `advance(${this.ms})`;
}

const key = fc.constantFrom('a', 'b', 'c', 'ключ');
const json: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 2 }).map((v) => v as JsonValue);

describe('memory cache against a reference model', () => {
  it('agrees on every answer over random operation sequences', async () => {
    const commands = fc.commands(
      [
        fc
          .tuple(key, json, fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }))
          .map(([k, v, t]) => new Set_(k, v, t)),
        key.map((k) => new Get(k)),
        key.map((k) => new Delete(k)),
        fc.integer({ min: 1, max: 4 }).map((ms) => new Advance(ms)),
      ],
      { maxCommands: 40 },
    );
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const runtime = manualRuntime();
        const setup = () => ({
          model: { now: 0, entries: new Map() },
          real: { cache: memoryCache({ runtime, defaultTtlMs: DEFAULT_TTL }), runtime },
        });
        await fc.asyncModelRun(setup, cmds);
      }),
      { numRuns: 150 },
    );
  });
});
