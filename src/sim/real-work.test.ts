import { lookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { DeterminismViolationError } from './errors.js';
import { createSim } from './kernel.js';
import type { Sim } from './types.js';

let sim: Sim;
afterEach(() => sim?.dispose());

/** The same real call over and over: one of them is surely in flight when an instant ends. */
const repeatedly = (call: () => Promise<unknown>) => async () => {
  const own = sim; // stop with this run's world, not the next test's
  for (let i = 0; i < 1_000 && !own.disposed; i++) await call();
};

/** A node that starts `work` at boot and keeps a timer ticking, so virtual time wants to move on. */
async function runWith(work: () => Promise<unknown>, options: { realIO?: 'allow' } = {}) {
  sim = createSim({ seed: 1, ...options });
  sim.node('app', (ctx) => {
    void work().catch(() => {});
    ctx.runtime.timers.setInterval(() => {}, 1);
  });
  return sim.runFor(100).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('real async work at an instant boundary', () => {
  it('fails the run on a pending WebCrypto promise, naming it', async () => {
    const error = await runWith(repeatedly(() => crypto.subtle.digest('SHA-256', new Uint8Array(64))));
    expect(error).toBeInstanceOf(DeterminismViolationError);
    expect((error as Error).message).toMatch(/^crypto\.subtle\.digest .* at virtual time \d+ ms inside a simulation/);
  });

  it('fails the run on a thread-pool file read', async () => {
    const error = await runWith(repeatedly(() => readFile(import.meta.filename)));
    expect((error as Error).message).toMatch(/a file-system call \(fs\.promises\) \(FSReqPromise\)/);
  });

  it('fails the run on a DNS lookup', async () => {
    const error = await runWith(repeatedly(() => lookup('localhost')));
    expect((error as Error).message).toMatch(/a DNS lookup \(GetAddrInfoReqWrap\)/);
  });

  it('lets a run without real work through, and leaves crypto.subtle as it was afterwards', async () => {
    expect(await runWith(async () => JSON.parse('{}'))).toBeUndefined();
    expect(Object.hasOwn(crypto.subtle, 'digest')).toBe(false);
    expect(await crypto.subtle.digest('SHA-256', new Uint8Array(1))).toBeInstanceOf(ArrayBuffer);
  });

  it("does not watch with realIO: 'allow', the escape hatch", async () => {
    expect(
      await runWith(() => crypto.subtle.digest('SHA-256', new Uint8Array(64)), { realIO: 'allow' }),
    ).toBeUndefined();
  });
});
