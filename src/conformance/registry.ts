/**
 * registryConformance: the executable contract of {@link Registry} (see `src/micro/registry/types.ts`).
 *
 *   registryConformance('redis', async () => { const registry = …; return { subject: registry, cleanup } });
 *
 * The factory returns a fresh, isolated registry (its own key prefix or bucket) for each test.
 * With `advance` the TTL tests run in virtual time (TTL T = 1 s); without, they sleep for real
 * (T = `realTtlMs`). A new watch is ready once it has seen a probe (a version of its own, hidden
 * from the test) appear and go, and each change waits for its event before the next, so a backend
 * that re-reads and diffs sees every step; `eventPerChange` checks changes made back to back.
 */
import { describe, expect } from 'vitest';
import { isMicroError } from '../micro/errors.js';
import type { Registry, RegistryEvent, Service, ServiceNode, WatchOptions } from '../micro/registry/types.js';
import { expectMicroError, until } from './expect.js';
import { announceUnsupported, type Factory, type Harness, itWhen, pass, type Unsupported, using } from './support.js';

/**
 * - `exactTtlBoundary`: a node is listed until the very millisecond its TTL ends (needs virtual
 *   time on the registry's own clock, with calls that take no time on it).
 * - `eventPerChange`: changes made back to back, without waiting, each get their own event (a
 *   watch that re-reads and diffs may fold them into one).
 * - `unreachable`: the registry can be out of reach (give `unreachable`); an in-process one cannot.
 */
export type RegistryCapability = 'exactTtlBoundary' | 'eventPerChange' | 'unreachable';

export interface RegistryConformanceOptions {
  /** Capabilities this backend does not offer, each with the reason. Default: none. */
  readonly unsupported?: Unsupported<RegistryCapability>;
  /** TTL T when the harness has no `advance` (real time). Default: 300 ms. */
  readonly realTtlMs?: number;
  /** How long a new watch gets to see its probe before it is registered again, on real time. Default: 100 ms. */
  readonly realWatchReadyMs?: number;
  /** A registry client whose server is out of reach (a closed port, a partition). Default: none. */
  readonly unreachable?: Factory<Registry>;
}

/** A watch collecting its events in the background. */
interface Watching {
  readonly events: RegistryEvent[];
  /** True once the iteration has ended (abort, break or error). */
  readonly ended: boolean;
  /** Wait until `count` events have arrived in total; return them as {@link show} lines. */
  seen(count: number): Promise<string[]>;
  stop(): void;
}

interface Ctx {
  readonly registry: Registry;
  readonly virtual: boolean;
  /** The TTL the suite registers with: 1 s in virtual time, `realTtlMs` on real time. */
  readonly T: number;
  pass(ms: number): Promise<void>;
  until(condition: () => boolean, what: string): Promise<void>;
  watch(options?: Omit<WatchOptions, 'signal'>, onEvent?: (event: RegistryEvent) => boolean): Promise<Watching>;
}

/** `create greeter@1 [a,b]`: an event as one line, node ids sorted (their order is not part of the contract). */
function show(event: RegistryEvent): string {
  return `${event.type} ${brief(event.service)}`;
}

const brief = (s: Service) => `${s.name}@${s.version} [${ids(s).join(',')}]`;
const ids = (s: Service) => s.nodes.map((n) => n.id).sort();
const byVersion = (services: Service[]) => [...services].sort((a, b) => (a.version < b.version ? -1 : 1));
const briefs = (services: Service[]) => services.map(brief).sort();

const node = (id: string, metadata: Record<string, string> = {}): ServiceNode => ({
  id,
  address: `10.0.0.1:${4000 + id.length}`,
  metadata,
});

function service(name: string, version: string, nodes: readonly ServiceNode[], metadata = {}): Service {
  return { name, version, metadata, endpoints: [{ name: 'Greeter.Hello', metadata: { stream: 'false' } }], nodes };
}

/** The version prefix of watch probes, which the suite's watches never report to a test. */
const PROBE = '~probe-';

const greeter = (...nodeIds: string[]) =>
  service(
    'greeter',
    '1',
    nodeIds.map((id) => node(id)),
  );

export function registryConformance(
  name: string,
  factory: Factory<Registry>,
  options: RegistryConformanceOptions = {},
): void {
  const unsupported = options.unsupported ?? {};

  const withContext = async (h: Harness<Registry>, body: (c: Ctx) => Promise<void>) => {
    const virtual = h.advance !== undefined;
    const T = virtual ? 1_000 : (options.realTtlMs ?? 300);
    const readyMs = virtual ? 100 : (options.realWatchReadyMs ?? 100);
    const step = (ms: number) => pass(h, Math.round(ms));
    const stepMs = Math.max(1, Math.round(T / 50));
    const wait = (condition: () => boolean, what: string) => until(step, condition, what, { stepMs, limitMs: 10 * T });
    const watches: Watching[] = [];
    let probes = 0;
    const ctx: Ctx = {
      registry: h.subject,
      virtual,
      T,
      pass: step,
      until: wait,
      async watch(watchOptions = {}, onEvent = () => true) {
        const abort = new AbortController();
        const probe = `${PROBE}${++probes}`;
        const probeEvents: RegistryEvent[] = [];
        const events: RegistryEvent[] = [];
        let ended = false;
        let failure: unknown;
        void (async () => {
          try {
            for await (const event of h.subject.watch({ ...watchOptions, signal: abort.signal })) {
              if (event.service.version.startsWith(PROBE)) {
                if (event.service.version === probe) probeEvents.push(event);
                continue; // any watch's probe is hidden from every watch
              }
              events.push(event);
              if (!onEvent(event)) break;
            }
          } catch (error) {
            failure = error; // a broken watch ends; `seen` names the error if the test was waiting
          } finally {
            ended = true;
          }
        })();
        const watching: Watching = {
          events,
          get ended() {
            return ended;
          },
          async seen(count) {
            await wait(() => events.length >= count, `${count} watch event(s)`).catch((error: unknown) => {
              const got = events.map(show).join('; ') || 'none';
              throw new Error(
                `${String(error)}; got: ${got}${failure ? `; the watch failed: ${String(failure)}` : ''}`,
              );
            });
            return events.map(show);
          },
          stop: () => abort.abort(),
        };
        watches.push(watching);
        // Ready once the probe has come and gone; registered again with a new mark until seen, so a
        // slow start costs time, never an event.
        const probing = (mark: number) =>
          service(watchOptions.service ?? 'probe', probe, [node('probe', { mark: String(mark) })]);
        for (let mark = 0; probeEvents.length === 0; mark++) {
          if (mark === 30 || ended)
            throw new Error(`the watch never saw its probe; it failed with: ${String(failure)}`);
          await h.subject.register(probing(mark));
          for (let waited = 0; waited < readyMs && probeEvents.length === 0; waited += stepMs) await step(stepMs);
        }
        await h.subject.deregister(probing(0));
        await wait(() => probeEvents.some((e) => e.type === 'delete'), 'the watch to see its probe go');
        return watching;
      },
    };
    try {
      await body(ctx);
    } finally {
      for (const watching of watches) watching.stop();
    }
  };

  const declare = (flag?: RegistryCapability) => (title: string, body: (c: Ctx) => Promise<void>) =>
    itWhen(flag ? unsupported : {}, flag ?? 'eventPerChange')(title, () => using(factory, (h) => withContext(h, body)));
  const test = declare();
  const needs = declare;
  const unreachable = options.unreachable;
  const offline = (title: string, body: (c: Ctx) => Promise<void>) =>
    itWhen(
      unreachable ? {} : { unreachable: unsupported.unreachable ?? 'no `unreachable` factory was given' },
      'unreachable',
    )(title, () => (unreachable ? using(unreachable, (h) => withContext(h, body)) : Promise.resolve()));

  describe(`registry conformance: ${name}`, () => {
    announceUnsupported(`registry:${name}`, unsupported);

    describe('register, look up, deregister', () => {
      test('getService returns one entry per live version, with its metadata, endpoints and nodes', async (c) => {
        const v1 = service('greeter', '1', [node('g-1', { zone: 'a' }), node('g-2')], { team: 'core' });
        await c.registry.register(v1);
        await c.registry.register(service('greeter', '2', [node('g-3')]));
        const found = byVersion(await c.registry.getService('greeter'));
        expect(found.map(brief)).toEqual(['greeter@1 [g-1,g-2]', 'greeter@2 [g-3]']);
        expect(found[0]).toMatchObject({ metadata: { team: 'core' }, endpoints: v1.endpoints });
        expect(found[0]?.nodes.find((n) => n.id === 'g-1')).toEqual(node('g-1', { zone: 'a' }));
        expect(await c.registry.getService('billing')).toEqual([]);
      });

      test('getService matches the whole name, not a prefix of it', async (c) => {
        await c.registry.register(service('greeter-admin', '1', [node('ga-1')]));
        await c.registry.register(service('greeter.admin', '1', [node('gd-1')]));
        expect(await c.registry.getService('greeter')).toEqual([]);
        expect(briefs(await c.registry.getService('greeter-admin'))).toEqual(['greeter-admin@1 [ga-1]']);
      });

      test('registering a node id again refreshes it in place, with its new address and metadata', async (c) => {
        await c.registry.register(greeter('g-1', 'g-2'));
        const moved = { id: 'g-1', address: '10.0.0.9:5000', metadata: { moved: 'yes' } };
        await c.registry.register(service('greeter', '1', [moved]));
        const [only] = await c.registry.getService('greeter');
        expect(only && ids(only)).toEqual(['g-1', 'g-2']);
        expect(only?.nodes.find((n) => n.id === 'g-1')).toEqual(moved);
      });

      test("the latest registration's metadata and endpoints describe the version", async (c) => {
        await c.registry.register(service('greeter', '1', [node('g-1'), node('g-2')], { rev: '1' }));
        await c.registry.register({
          ...service('greeter', '1', [node('g-2')], { rev: '2' }),
          endpoints: [{ name: 'Greeter.Bye' }],
        });
        const [only] = await c.registry.getService('greeter');
        expect(only?.metadata).toEqual({ rev: '2' });
        expect(only?.endpoints.map((e) => e.name)).toEqual(['Greeter.Bye']);
        expect(only && ids(only)).toEqual(['g-1', 'g-2']);
      });

      test('deregister removes only the nodes it lists; a version with none left is gone', async (c) => {
        await c.registry.register(greeter('g-1', 'g-2', 'g-3'));
        await c.registry.register(service('greeter', '2', [node('g-4')]));
        await c.registry.deregister(greeter('g-1', 'g-3'));
        expect(briefs(await c.registry.getService('greeter'))).toEqual(['greeter@1 [g-2]', 'greeter@2 [g-4]']);
        await c.registry.deregister(greeter('g-2'));
        expect(briefs(await c.registry.getService('greeter'))).toEqual(['greeter@2 [g-4]']);
        await c.registry.deregister(service('greeter', '2', [node('g-4')]));
        expect(await c.registry.getService('greeter')).toEqual([]);
        expect(await c.registry.listServices()).toEqual([]);
      });

      test('deregistering nodes that are not there changes nothing', async (c) => {
        await c.registry.register(greeter('g-1'));
        await c.registry.deregister(greeter('ghost'));
        await c.registry.deregister(service('greeter', '9', [node('g-1')]));
        await c.registry.deregister(service('nobody', '1', [node('g-1')]));
        expect(briefs(await c.registry.listServices())).toEqual(['greeter@1 [g-1]']);
      });

      test('a version registered with no nodes is not listed', async (c) => {
        await c.registry.register(service('greeter', '1', []));
        expect(await c.registry.getService('greeter')).toEqual([]);
        expect(await c.registry.listServices()).toEqual([]);
      });

      test('listServices returns every live version of every service', async (c) => {
        expect(await c.registry.listServices()).toEqual([]);
        await c.registry.register(greeter('g-1'));
        await c.registry.register(service('greeter', '2', [node('g-2')]));
        await c.registry.register(service('billing', '1', [node('b-1')]));
        expect(briefs(await c.registry.listServices())).toEqual([
          'billing@1 [b-1]',
          'greeter@1 [g-1]',
          'greeter@2 [g-2]',
        ]);
      });

      test('concurrent registrations of different nodes of one service all land', async (c) => {
        const nodeIds = Array.from({ length: 12 }, (_, i) => `g-${String(i).padStart(2, '0')}`);
        await Promise.all(nodeIds.map((id) => c.registry.register(greeter(id))));
        const [only, ...rest] = await c.registry.getService('greeter');
        expect(rest).toEqual([]);
        expect(only && ids(only)).toEqual(nodeIds);
        await Promise.all(nodeIds.slice(0, 6).map((id) => c.registry.deregister(greeter(id))));
        expect(briefs(await c.registry.getService('greeter'))).toEqual([`greeter@1 [${nodeIds.slice(6).join(',')}]`]);
      });
    });

    describe('TTL', () => {
      needs('exactTtlBoundary')('a node is listed until the millisecond its TTL ends', async (c) => {
        if (!c.virtual) return void console.info('[registry] exact TTL boundary needs virtual time; checked coarsely');
        await c.registry.register(greeter('g-1'), { ttlMs: 1_000 });
        await c.pass(999);
        expect(briefs(await c.registry.getService('greeter'))).toEqual(['greeter@1 [g-1]']);
        await c.pass(1);
        expect(await c.registry.getService('greeter')).toEqual([]);
      });

      // On real time each check sits well inside its window, so a late-waking sleep cannot flip it.
      test('a refreshed node outlives its first TTL and expires once refreshing stops', async (c) => {
        await c.registry.register(greeter('g-1'), { ttlMs: c.T });
        await c.pass(c.T / 2);
        await c.registry.register(greeter('g-1'), { ttlMs: 2 * c.T });
        await c.pass(c.T * 0.7); // past the first TTL, well within the second
        expect(briefs(await c.registry.getService('greeter'))).toEqual(['greeter@1 [g-1]']);
        await c.pass(c.T * 1.5);
        expect(await c.registry.getService('greeter')).toEqual([]);
      });

      test('each node expires on its own TTL; the version goes with the last one', async (c) => {
        await c.registry.register(greeter('short'), { ttlMs: c.T });
        await c.registry.register(greeter('long'), { ttlMs: 3 * c.T });
        await c.pass(2 * c.T);
        expect(briefs(await c.registry.listServices())).toEqual(['greeter@1 [long]']);
        await c.pass(1.5 * c.T);
        expect(await c.registry.getService('greeter')).toEqual([]);
        expect(await c.registry.listServices()).toEqual([]);
      });
    });

    describe('watch', () => {
      test('yields create, update and delete, each with the snapshot after the change', async (c) => {
        const w = await c.watch();
        await c.registry.register(service('greeter', '1', [node('g-1')], { rev: '1' }));
        await w.seen(1);
        await c.registry.register(greeter('g-2'));
        await w.seen(2);
        await c.registry.deregister(greeter('g-1'));
        await w.seen(3);
        await c.registry.deregister(greeter('g-2'));
        expect(await w.seen(4)).toEqual([
          'create greeter@1 [g-1]',
          'update greeter@1 [g-1,g-2]',
          'update greeter@1 [g-2]',
          'delete greeter@1 [g-2]', // the last snapshot before it went, with the node it had
        ]);
        expect(w.events[0]?.service).toMatchObject({ metadata: { rev: '1' }, endpoints: greeter().endpoints });
        expect(w.events[0]?.service.nodes).toEqual([node('g-1')]);
      });

      test('a change of metadata alone is an update; a refresh that changes nothing is no event', async (c) => {
        await c.registry.register(greeter('g-1'));
        const w = await c.watch();
        await c.registry.register(greeter('g-1'));
        await c.registry.register(service('greeter', '1', [node('g-1', { weight: '5' })]));
        await w.seen(1);
        await c.registry.register(service('greeter', '1', [node('g-1', { weight: '5' })], { canary: 'yes' }));
        expect(await w.seen(2)).toEqual(['update greeter@1 [g-1]', 'update greeter@1 [g-1]']);
        expect(w.events.map((e) => [e.service.nodes[0]?.metadata, e.service.metadata])).toEqual([
          [{ weight: '5' }, {}],
          [{ weight: '5' }, { canary: 'yes' }],
        ]);
      });

      test('reports what changes after it starts, not what was already there', async (c) => {
        await c.registry.register(service('billing', '1', [node('b-1')]));
        const w = await c.watch();
        await c.registry.register(greeter('g-1'));
        expect(await w.seen(1)).toEqual(['create greeter@1 [g-1]']);
        await c.pass(c.T / 2);
        expect(w.events.map(show)).toEqual(['create greeter@1 [g-1]']);
      });

      test('a node that expires is an update, and the last one to expire a delete', async (c) => {
        const w = await c.watch();
        await c.registry.register(greeter('short'), { ttlMs: c.T });
        await w.seen(1);
        await c.registry.register(greeter('long'), { ttlMs: 2 * c.T });
        await w.seen(2);
        await c.pass(2.5 * c.T);
        expect(await w.seen(4)).toEqual([
          'create greeter@1 [short]',
          'update greeter@1 [long,short]',
          'update greeter@1 [long]',
          'delete greeter@1 [long]',
        ]);
      });

      test('filtered by service: sees only that service', async (c) => {
        const greeters = await c.watch({ service: 'greeter' });
        const everything = await c.watch();
        await c.registry.register(service('billing', '1', [node('b-1')]));
        await everything.seen(1);
        await c.registry.register(greeter('g-1'));
        await everything.seen(2);
        await greeters.seen(1);
        await c.registry.register(service('greeter-admin', '1', [node('ga-1')]));
        await everything.seen(3);
        await c.registry.deregister(greeter('g-1'));
        expect(await greeters.seen(2)).toEqual(['create greeter@1 [g-1]', 'delete greeter@1 [g-1]']);
        expect(await everything.seen(4)).toEqual([
          'create billing@1 [b-1]',
          'create greeter@1 [g-1]',
          'create greeter-admin@1 [ga-1]',
          'delete greeter@1 [g-1]',
        ]);
      });

      test('ends when its signal aborts, and at once when the signal was aborted before', async (c) => {
        const w = await c.watch();
        await c.registry.register(greeter('g-1'));
        await w.seen(1);
        w.stop();
        await c.until(() => w.ended, 'the watch to end after abort');
        await c.registry.register(greeter('g-2'));
        await c.pass(c.T / 4);
        expect(w.events.map(show)).toEqual(['create greeter@1 [g-1]']);

        const late: RegistryEvent[] = [];
        let lateEnded = false;
        void (async () => {
          for await (const event of c.registry.watch({ signal: AbortSignal.abort() })) late.push(event);
        })().finally(() => {
          lateEnded = true;
        });
        await c.until(() => lateEnded, 'a watch given an already-aborted signal to end');
        expect(late).toEqual([]);
      });

      test('ends when the iteration is broken, and the registry carries on', async (c) => {
        const w = await c.watch({}, () => false); // break after the first event
        const other = await c.watch();
        await c.registry.register(greeter('g-1'));
        await c.until(() => w.ended, 'the watch to end after break');
        await other.seen(1);
        await c.registry.register(greeter('g-2'));
        expect(await other.seen(2)).toEqual(['create greeter@1 [g-1]', 'update greeter@1 [g-1,g-2]']);
        expect(w.events.map(show)).toEqual(['create greeter@1 [g-1]']);
      });

      needs('eventPerChange')('changes made back to back each get their own event', async (c) => {
        const w = await c.watch();
        await c.registry.register(greeter('g-1'));
        await c.registry.register(greeter('g-2'));
        await c.registry.deregister(greeter('g-1', 'g-2'));
        const lines = await w.seen(4);
        expect(lines.slice(0, 2)).toEqual(['create greeter@1 [g-1]', 'update greeter@1 [g-1,g-2]']);
        expect(lines.at(-1)).toMatch(/^delete greeter@1 \[g-[12]]$/);
      });
    });

    describe('returned objects are snapshots', () => {
      test('mutating what getService, listServices or a watch returned changes nothing', async (c) => {
        const w = await c.watch();
        await c.registry.register(service('greeter', '1', [node('g-1', { zone: 'a' })], { team: 'core' }));
        await w.seen(1);
        const vandalise = (s: Service | undefined) => {
          if (s === undefined) return;
          (s.metadata as Record<string, string>).team = 'evil';
          (s.nodes[0]?.metadata as Record<string, string>).zone = 'evil';
          (s.nodes as ServiceNode[]).push(node('intruder'));
          (s.endpoints as unknown[]).length = 0;
        };
        vandalise((await c.registry.getService('greeter'))[0]);
        vandalise((await c.registry.listServices())[0]);
        vandalise(w.events[0]?.service);
        const [again] = await c.registry.getService('greeter');
        expect(again && ids(again)).toEqual(['g-1']);
        expect(again).toMatchObject({ metadata: { team: 'core' }, endpoints: greeter().endpoints });
        expect(again?.nodes[0]?.metadata).toEqual({ zone: 'a' });
      });

      test('mutating a service after registering it changes nothing registered', async (c) => {
        const registered = service('greeter', '1', [node('g-1', { zone: 'a' })], { team: 'core' });
        await c.registry.register(registered);
        (registered.metadata as Record<string, string>).team = 'evil';
        (registered.nodes[0]?.metadata as Record<string, string>).zone = 'evil';
        const [found] = await c.registry.getService('greeter');
        expect(found?.metadata).toEqual({ team: 'core' });
        expect(found?.nodes[0]?.metadata).toEqual({ zone: 'a' });
      });
    });

    describe('edge cases', () => {
      test('unicode and dotted names, versions, node ids and metadata round-trip', async (c) => {
        const names = ['日本語-サービス', 'go.micro.srv.grüße', 'emoji 🦊 svc'];
        for (const [i, svcName] of names.entries()) {
          await c.registry.register(
            service(svcName, `β-${i}.0`, [node(`nœud-${i}`, { région: 'île-de-France 🇫🇷', 'x.y': 'ש' })], {
              description: `café ${i} ✓`,
            }),
          );
        }
        for (const [i, svcName] of names.entries()) {
          const [found] = await c.registry.getService(svcName);
          expect(found).toMatchObject({ name: svcName, version: `β-${i}.0`, metadata: { description: `café ${i} ✓` } });
          expect(found?.nodes).toEqual([node(`nœud-${i}`, { région: 'île-de-France 🇫🇷', 'x.y': 'ש' })]);
        }
        expect((await c.registry.listServices()).map((s) => s.name).sort()).toEqual([...names].sort());
      });
    });

    describe('an unreachable registry', () => {
      offline('rejects every call, and fails a watch, with UNAVAILABLE or TIMEOUT', async (c) => {
        const outcome = (error: unknown) => (isMicroError(error) ? error.code : `not a MicroError: ${String(error)}`);
        const calls = [
          () => c.registry.register(greeter('g-1')),
          () => c.registry.deregister(greeter('g-1')),
          () => c.registry.getService('greeter'),
          () => c.registry.listServices(),
        ];
        const outcomes = await Promise.all(calls.map((call) => call().then(() => 'resolved', outcome)));
        let watched: string | undefined;
        const abort = new AbortController();
        void (async () => {
          for await (const event of c.registry.watch({ signal: abort.signal })) watched = `got ${show(event)}`;
          watched ??= 'ended without an error';
        })().catch((error: unknown) => {
          watched = outcome(error);
        });
        await c.until(() => watched !== undefined, 'the watch to fail').finally(() => abort.abort());
        for (const code of [...outcomes, watched]) expect(['UNAVAILABLE', 'TIMEOUT']).toContain(code);
      });
    });

    describe('bad input gets a clear error and registers nothing', () => {
      test('an empty service name', async (c) => {
        await expectMicroError(c.registry.register(service('', '1', [node('g-1')])), 'BAD_REQUEST', 'name');
        expect(await c.registry.listServices()).toEqual([]);
      });

      test('a TTL that is not a positive finite number', async (c) => {
        for (const ttlMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
          await expectMicroError(c.registry.register(greeter('g-1'), { ttlMs }), 'BAD_REQUEST', 'ttlMs');
        }
        expect(await c.registry.listServices()).toEqual([]);
      });
    });
  });
}
