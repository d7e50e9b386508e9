/**
 * Watching the Redis registry: re-read and diff. Redis cannot tell us which node changed and
 * how, so a watch keeps the last snapshot and, whenever something may have changed, reads the
 * registry again and emits the difference as create / update / delete events.
 *
 * Triggers: a message on the registry's change channel (register/deregister, immediate), and a
 * poll every `pollMs` (expiries: a key that expires produces no message unless the server has
 * keyspace notifications on). The baseline snapshot is taken after subscribing, so nothing
 * registered after `watch` returns is missed; changes before the baseline are not replayed.
 */
import type { Redis } from 'ioredis';
import type { RegistryEvent, Service } from '../../micro/registry/types.js';
import { AsyncQueue } from '../../micro/transport/async-queue.js';
import { attempt } from './connection.js';

export interface RegistryWatch {
  readonly subscriber: Redis;
  readonly channel: string;
  readonly read: () => Promise<Service[]>;
  readonly service: string | undefined;
  readonly pollMs: number;
  readonly signal: AbortSignal;
  readonly onEnd: () => void;
}

export function watchRegistry(watch: RegistryWatch): AsyncIterable<RegistryEvent> {
  const queue = new AsyncQueue<RegistryEvent>(() => end());
  let snapshot: Map<string, Service> | undefined;
  let pending: Promise<void> = Promise.resolve();
  let again = false;
  let poll: ReturnType<typeof setInterval> | undefined;

  const end = () => {
    if (poll !== undefined) clearInterval(poll);
    watch.subscriber.disconnect();
    queue.close();
    watch.onEnd();
  };

  /** Re-read and diff; calls during a read coalesce into one more read. */
  const refresh = () => {
    if (again) return;
    again = true;
    pending = pending.then(async () => {
      again = false;
      try {
        const next = index(await watch.read());
        if (snapshot !== undefined) for (const event of diff(snapshot, next)) queue.push(event);
        snapshot = next;
      } catch {
        // An unreachable server: the next trigger tries again.
      }
    });
  };

  if (watch.signal.aborted) end();
  else {
    watch.signal.addEventListener('abort', end, { once: true });
    watch.subscriber.on('message', (_channel: string, name: string) => {
      if (watch.service === undefined || watch.service === name) refresh();
    });
    attempt('registry watch', () => watch.subscriber.subscribe(watch.channel))
      .then(() => {
        refresh();
        poll = setInterval(refresh, watch.pollMs);
      })
      .catch((error: unknown) => {
        queue.fail(error);
        end(); // drop the subscriber connection too, not only the iteration
      });
  }
  return queue;
}

const id = (s: Service) => `${s.name}\u0000${s.version}`;

function index(services: Service[]): Map<string, Service> {
  return new Map(services.map((s) => [id(s), s]));
}

function diff(before: Map<string, Service>, after: Map<string, Service>): RegistryEvent[] {
  const events: RegistryEvent[] = [];
  for (const [key, service] of after) {
    const old = before.get(key);
    if (old === undefined) events.push({ type: 'create', service });
    else if (JSON.stringify(old) !== JSON.stringify(service)) events.push({ type: 'update', service });
  }
  for (const [key, service] of before) if (!after.has(key)) events.push({ type: 'delete', service });
  return events;
}
