/**
 * Shared pieces of the conformance suites: capability flags (what a backend may not offer,
 * each with a reason that is printed, never silently skipped), time control, and (re-exported)
 * the manual runtime for in-process implementations.
 */
import { it, type TestContext } from 'vitest';
import { liveRuntime } from '../micro/live.js';
import { sleep } from '../micro/runtime.js';
import { until } from './expect.js';

/**
 * Capabilities a backend does not offer: flag → the reason, e.g.
 * `{ virtualTime: 'Redis expires keys on its own clock' }`. Tests needing a flag are skipped
 * with the reason in their name and a printed line.
 */
export type Unsupported<Flag extends string> = Partial<Readonly<Record<Flag, string>>>;

/** What a factory hands the suite for one test: the subject, optional time control, cleanup. */
export interface Harness<Subject> {
  readonly subject: Subject;
  /**
   * Move the subject's clock forward by `ms` (virtual time) and let due work run. Absent for
   * backends on real time: the suite then sleeps for real, with short TTLs.
   */
  advance?(ms: number): Promise<void>;
  /** Drop everything this instance created (a unique table, prefix…). Default: nothing. */
  cleanup?(): Promise<void>;
}

export type Factory<Subject> = () => Promise<Harness<Subject>>;

/** Print the unsupported flags once per suite, so a skipped test is visible in the log. */
export function announceUnsupported(suite: string, unsupported: Unsupported<string>): void {
  for (const [flag, reason] of Object.entries(unsupported)) {
    if (reason !== undefined) console.info(`[${suite}] not offered: ${flag} — ${reason}`);
  }
}

/**
 * `it` when the flag is offered (or no flag is needed), `it.skip` with the reason in the title
 * when it is not. The body gets vitest's test context.
 */
export function itWhen<Flag extends string>(
  unsupported: Unsupported<Flag>,
  flag?: Flag,
): (title: string, body: (context: TestContext) => Promise<void>) => void {
  const reason = flag === undefined ? undefined : unsupported[flag];
  if (reason === undefined) return (title, body) => it(title, body);
  return (title, body) => it.skip(`${title} [not offered: ${flag} — ${reason}]`, body);
}

/** Time as a test body sees it: `virtual` when the harness can advance a clock. */
export interface Time {
  /** Let `ms` pass: virtual when the harness can, real otherwise. */
  advance(ms: number): Promise<void>;
  readonly virtual: boolean;
  /** Skip this test at run time, with the reason shown. */
  skip(reason: string): void;
}

export function timeOf<S>(harness: Harness<S>, context: TestContext): Time {
  return {
    advance: (ms) => pass(harness, ms),
    virtual: harness.advance !== undefined,
    skip: (reason) => context.skip(reason),
  };
}

/** Let `ms` pass for a harness: virtual if it can, real otherwise. */
export async function pass<S>(harness: Harness<S>, ms: number): Promise<void> {
  if (harness.advance) await harness.advance(ms);
  else await sleep(liveRuntime, ms);
}

/** Run a test body over a fresh harness and always clean up. */
export async function using<S>(factory: Factory<S>, body: (harness: Harness<S>) => Promise<void>): Promise<void> {
  const harness = await factory();
  try {
    await body(harness);
  } finally {
    await harness.cleanup?.();
  }
}

// A runtime whose clock only moves when told, for in-process implementations' harnesses.
export { type ManualRuntime, manualRuntime } from '../micro/testing/manual-runtime.js';

/** A subject that hands out clients of one backend (each a separate connection). */
export interface ClientsSubject<Client> {
  client(name: string): Client;
}

/** What the broker, events and sync suites share: two clients, more on demand, time T and waits. */
export interface ClientsContext<Client> {
  readonly a: Client;
  readonly b: Client;
  readonly client: (name: string) => Client;
  /** The suite's unit of time: 1 s virtual, or the backend's short real timeout. */
  readonly T: number;
  pass(ms: number): Promise<void>;
  until(condition: () => boolean, what: string): Promise<void>;
}

/** The shared context for one test: virtual T = 1 s when the harness can advance, else `realT`. */
export function clientsContext<Client>(h: Harness<ClientsSubject<Client>>, realT: number): ClientsContext<Client> {
  const T = h.advance ? 1_000 : realT;
  const step = (ms: number) => pass(h, ms);
  return {
    a: h.subject.client('a'),
    b: h.subject.client('b'),
    client: (n) => h.subject.client(n),
    T,
    pass: step,
    until: (condition, what) => until(step, condition, what, { stepMs: Math.max(1, T / 20), limitMs: 20 * T }),
  };
}

/**
 * A subject whose clients are made by `make` and remembered, so a harness's cleanup can close
 * every one: `const { subject, closeAll } = trackedClients(() => redisBroker({ url, prefix }))`.
 */
export function trackedClients<Client extends { close(): Promise<void> }>(
  make: (name: string) => Client,
): { readonly subject: ClientsSubject<Client>; closeAll(): Promise<void> } {
  const clients: Client[] = [];
  return {
    subject: {
      client(name) {
        const client = make(name);
        clients.push(client);
        return client;
      },
    },
    async closeAll() {
      for (const client of clients.splice(0)) await client.close();
    },
  };
}
