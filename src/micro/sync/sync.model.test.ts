/**
 * Model test: random sequences of lock / refresh / release / time passing against the memory
 * Sync, checked step by step against a tiny reference model of leases with fencing tokens.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ManualRuntime, manualRuntime } from '../../conformance/support.js';
import { memoryLockDriver } from './memory-driver.js';
import { createSync } from './sync.js';
import type { Lease, Sync } from './types.js';

const CLIENTS = ['a', 'b', 'c'] as const;
const NAMES = ['x', 'y'] as const;
type Client = (typeof CLIENTS)[number];
type Name = (typeof NAMES)[number];

interface Model {
  now: number;
  /** Per name: who holds it, with which token, until when (service clock = the only clock here). */
  held: Map<Name, { client: Client; token: number; until: number }>;
  lastToken: Map<Name, number>;
}

interface Real {
  runtime: ManualRuntime;
  clients: Record<Client, Sync>;
  leases: Map<string, Lease>;
}

const current = (m: Model, name: Name) => {
  const h = m.held.get(name);
  return h && h.until > m.now ? h : undefined;
};

class Lock implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly client: Client,
    readonly name: Name,
    readonly ttl: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const result = await r.clients[this.client].lock(this.name, { ttlMs: this.ttl });
    if (current(m, this.name)) {
      expect(result.type).toBe('timeout');
      return;
    }
    expect(result.type).toBe('acquired');
    if (result.type !== 'acquired') return;
    expect(result.lease.token).toBeGreaterThan(m.lastToken.get(this.name) ?? 0);
    m.lastToken.set(this.name, result.lease.token);
    m.held.set(this.name, { client: this.client, token: result.lease.token, until: m.now + this.ttl });
    r.leases.set(`${this.client}/${this.name}`, result.lease);
  }
  toString = () => `lock(${this.client}, ${this.name}, ${this.ttl})`;
}

class Refresh implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly client: Client,
    readonly name: Name,
    readonly ttl: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const lease = r.leases.get(`${this.client}/${this.name}`);
    if (!lease) return;
    const result = await lease.refresh(this.ttl);
    const h = current(m, this.name);
    if (h?.token === lease.token) {
      expect(result).toEqual({ type: 'refreshed', expiresAt: r.runtime.clock.now() + this.ttl });
      h.until = m.now + this.ttl;
    } else expect(result).toEqual({ type: 'lost' });
  }
  toString = () => `refresh(${this.client}, ${this.name}, ${this.ttl})`;
}

class Release implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly client: Client,
    readonly name: Name,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const lease = r.leases.get(`${this.client}/${this.name}`);
    if (!lease) return;
    await lease.release();
    expect(lease.signal.aborted).toBe(true);
    if (current(m, this.name)?.token === lease.token) m.held.delete(this.name);
  }
  toString = () => `release(${this.client}, ${this.name})`;
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    await r.runtime.advance(this.ms);
    m.now += this.ms;
    // Every holder's local belief matches the model: same clock here, so no skew to allow for.
    for (const [key, lease] of r.leases) {
      const [client, name] = key.split('/') as [Client, Name];
      const h = current(m, name);
      expect(lease.signal.aborted).toBe(!(h?.client === client && h.token === lease.token));
    }
  }
  toString = () => `advance(${this.ms})`;
}

const client = fc.constantFrom(...CLIENTS);
const name = fc.constantFrom(...NAMES);
const ttl = fc.integer({ min: 1, max: 20 });
const commands = fc.commands(
  [
    fc.tuple(client, name, ttl).map(([c, n, t]) => new Lock(c, n, t)),
    fc.tuple(client, name, ttl).map(([c, n, t]) => new Refresh(c, n, t)),
    fc.tuple(client, name).map(([c, n]) => new Release(c, n)),
    fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 30 })).map((ms) => new Advance(ms)), // small steps hit expiry boundaries
  ],
  { maxCommands: 60, size: 'large' },
);

describe('memory Sync against a reference model', () => {
  it('agrees with the model on grants, fencing tokens, refreshes, releases and expiry', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const runtime = manualRuntime();
        const driver = memoryLockDriver(runtime);
        const clients = Object.fromEntries(
          CLIENTS.map((c) => [c, createSync(driver, { runtime, holder: c })]),
        ) as Record<Client, Sync>;
        await fc.asyncModelRun(
          () => ({
            model: { now: 0, held: new Map(), lastToken: new Map() },
            real: { runtime, clients, leases: new Map() },
          }),
          cmds,
        );
      }),
      { numRuns: 100 },
    );
  });
});
