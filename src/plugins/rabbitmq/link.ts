/**
 * The RabbitMQ broker's connection, kept alive: one amqplib connection with a confirm channel
 * for publishing and the exchange declared, opened on first use, and recovered after a loss.
 *
 * - The first connect happens on the first operation; a refusal rejects it with a retryable
 *   UNAVAILABLE and the next operation tries again (nothing retries in the background).
 * - Once connected, a lost connection (socket reset, server close, the publishing channel closed
 *   by an error) is recovered in the background: attempt n waits `backoffDelay(n)` on the
 *   runtime's timers (exponential, jittered from the runtime's random), reconnects, re-declares
 *   the exchange, then runs every registered {@link SessionListener}'s `restore` (the broker's
 *   subscriptions re-declare their queues and consume again) before the new session is handed
 *   out. After `maxAttempts` failed attempts it gives up: each listener's `gaveUp` runs and the
 *   next operation connects afresh, as on first use.
 * - While recovering, {@link RabbitLink.session} rejects at once with a retryable UNAVAILABLE
 *   (it does not wait: a broker publish has no deadline to bound a wait by).
 * - `close` cancels a pending attempt; a connection that an attempt in flight opens afterwards
 *   is closed at once, and nothing reconnects.
 */

import type amqp from 'amqplib';
import { backoffDelay } from '../../micro/client/backoff.js';
import { unavailable } from '../../micro/errors.js';
import type { TimerHandle } from '../../micro/runtime.js';
import { attemptOn } from '../errors.js';
import type { RabbitConfig } from './options.js';

export interface RabbitSession {
  readonly connection: amqp.ChannelModel;
  readonly publisher: amqp.ConfirmChannel;
}

export interface SessionListener {
  /** Re-establish what lived on the lost connection, on `session`. Should not throw. */
  restore(session: RabbitSession): Promise<void>;
  /** Recovery gave up after `maxAttempts`: whatever this listener keeps alive has ended. */
  gaveUp(): void;
}

export interface RabbitLink {
  /** The live session (connecting on first use); rejects at once with UNAVAILABLE while recovering or closed. */
  session(): Promise<RabbitSession>;
  /** Whether `session` is still the one in use (false once it is lost). */
  isLive(session: RabbitSession): boolean;
  /** Register what to redo on every recovered connection; returns the unregister function. */
  listen(listener: SessionListener): () => void;
  /** Waits `backoffDelay(attempt)` on the runtime's timers, then runs `fn` (for a listener's own retries). */
  after(attempt: number, fn: () => void): TimerHandle;
  close(): Promise<void>;
}

type State =
  | { readonly type: 'idle' }
  | { readonly type: 'connecting'; readonly done: Promise<RabbitSession> }
  | { readonly type: 'up'; readonly session: RabbitSession }
  /** Lost; `session` is set while a new connection restores its listeners. */
  | { type: 'recovering'; attempt: number; timer: TimerHandle | undefined; session: RabbitSession | undefined }
  | { readonly type: 'closed' };

type Amqplib = typeof amqp;

export function rabbitLink(amqplib: Amqplib, config: RabbitConfig): RabbitLink {
  const { url, prefix, runtime, reconnect } = config;
  const listeners = new Set<SessionListener>();
  let state: State = { type: 'idle' };
  let inFlight: Promise<unknown> | undefined; // a background attempt, awaited by close()

  const after = (attempt: number, fn: () => void) =>
    runtime.timers.setTimeout(fn, backoffDelay(attempt, runtime.random, reconnect.baseMs, reconnect.maxMs));

  const connectOnce = async (): Promise<RabbitSession> => {
    // TCP_NODELAY: without it a consumer's ack waits on Nagle + delayed ACK (~40 ms a message).
    // `timeout` bounds the opening handshake only (amqplib clears it once open): a black-holed
    // server fails the attempt instead of stalling recovery.
    const connection = await amqplib.connect(url, { noDelay: true, timeout: config.connectTimeoutMs });
    try {
      connection.on('error', () => {}); // surfaced through the operations that fail
      const publisher = await connection.createConfirmChannel();
      publisher.on('error', () => {});
      await publisher.assertExchange(prefix, 'direct', { durable: false });
      const session: RabbitSession = { connection, publisher };
      connection.on('close', () => lost(session));
      // The publishing channel closed by an error: recover the whole connection (and its topology).
      publisher.on('close', () => {
        if (isLive(session)) void connection.close().catch(() => undefined);
      });
      return session;
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  };

  const isLive = (session: RabbitSession) =>
    (state.type === 'up' || state.type === 'recovering') && state.session === session;

  // Sessions whose connection has closed: one can close before it becomes the live one.
  const dead = new WeakSet<RabbitSession>();
  const lost = (session: RabbitSession, attempt = 0) => {
    dead.add(session);
    if (!isLive(session)) return;
    if (attempt >= reconnect.maxAttempts) return giveUp();
    state = { type: 'recovering', attempt, timer: undefined, session: undefined };
    schedule(state);
  };

  const schedule = (recovering: Extract<State, { type: 'recovering' }>) => {
    recovering.timer = after(recovering.attempt, () => {
      recovering.timer = undefined;
      inFlight = tryReconnect(recovering).finally(() => {
        inFlight = undefined;
      });
    });
  };

  const tryReconnect = async (recovering: Extract<State, { type: 'recovering' }>) => {
    let session: RabbitSession;
    try {
      session = await connectOnce();
    } catch {
      if (state !== recovering) return;
      recovering.attempt += 1;
      if (recovering.attempt >= reconnect.maxAttempts) giveUp();
      else schedule(recovering);
      return;
    }
    if (state !== recovering) {
      await session.connection.close().catch(() => undefined); // closed meanwhile: leave nothing open
      return;
    }
    recovering.session = session;
    if (dead.has(session)) return lost(session, recovering.attempt + 1); // closed as soon as it opened
    await Promise.all([...listeners].map((listener) => listener.restore(session).catch(() => undefined)));
    if (state === recovering && recovering.session === session) state = { type: 'up', session };
  };

  const giveUp = () => {
    state = { type: 'idle' };
    for (const listener of [...listeners]) listener.gaveUp();
  };

  const session = async (): Promise<RabbitSession> => {
    switch (state.type) {
      case 'up':
        return state.session;
      case 'connecting':
        return state.done;
      case 'closed':
        throw unavailable('rabbitmq broker is closed', { id: 'rabbitmq' });
      case 'recovering':
        throw unavailable(`rabbitmq: connection to the server lost; reconnecting (attempt ${state.attempt + 1})`, {
          id: 'rabbitmq',
        });
      case 'idle': {
        const done = attemptOn('rabbitmq', 'connect', connectOnce);
        const connecting: State = { type: 'connecting', done };
        state = connecting;
        try {
          const opened = await done;
          if (state !== connecting) {
            await opened.connection.close().catch(() => undefined);
            throw unavailable('rabbitmq broker is closed', { id: 'rabbitmq' });
          }
          state = { type: 'up', session: opened };
          if (dead.has(opened)) lost(opened); // closed before it was handed out: recover it
          return opened;
        } catch (error) {
          if (state === connecting) state = { type: 'idle' };
          throw error;
        }
      }
      default: {
        const never: never = state;
        throw new Error(`rabbitLink: unknown state ${JSON.stringify(never)}`);
      }
    }
  };

  return {
    session,
    isLive,
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    after,
    async close() {
      const before = state;
      state = { type: 'closed' };
      listeners.clear();
      if (before.type === 'recovering') before.timer?.cancel();
      await inFlight?.catch(() => undefined);
      const open =
        before.type === 'up' || before.type === 'recovering'
          ? before.session
          : before.type === 'connecting'
            ? await before.done.catch(() => undefined)
            : undefined;
      await open?.connection.close().catch(() => undefined);
    },
  };
}
