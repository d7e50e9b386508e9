/**
 * Helpers for the plugins' fault tests (test code only): find the sockets a client opened, and
 * describe how an operation ended so a test can assert "retryable UNAVAILABLE" in one line, retry
 * an operation through an outage, and wait for a condition.
 */
import { Socket } from 'node:net';
import { vi } from 'vitest';
import { isMicroError } from '../micro/errors.js';

/** Run `open` and return the sockets it connected (the spy sees every net.Socket#connect). */
export async function socketsOpenedBy(open: () => Promise<unknown>): Promise<Socket[]> {
  const connect = vi.spyOn(Socket.prototype, 'connect');
  try {
    await open();
    return connect.mock.contexts as Socket[];
  } finally {
    connect.mockRestore();
  }
}

/** How an operation ended: [code, retryable] of its MicroError, the raw error, or `{ resolved }`. */
export const failureOf = (work: Promise<unknown>) =>
  work.then(
    (value) => ({ resolved: value }),
    (error: unknown) => (isMicroError(error) ? [error.code, error.retryable] : error),
  );

/** The detail of the BAD_REQUEST `run` throws, or a string saying what happened instead. */
export const badRequestOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return isMicroError(error) && error.code === 'BAD_REQUEST' ? error.detail : `not BAD_REQUEST: ${String(error)}`;
  }
  return 'no error';
};

/** Retry `work` every 50 ms of real time while it fails as a retryable MicroError, for up to `limitMs`. */
export async function retried<T>(work: () => Promise<T>, limitMs = 5_000): Promise<T> {
  for (let waited = 0; ; waited += 50) {
    try {
      return await work();
    } catch (error) {
      if (!(isMicroError(error) && error.retryable) || waited > limitMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Poll `done` every 10 ms of real time; fail naming `what` after `limitMs`. */
export async function waitFor(done: () => boolean, what: string, limitMs = 4_000): Promise<void> {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Make a client with `open` (which also makes its first call) and return it with the one socket it opened. */
export async function withItsSocket<T>(open: () => Promise<T>): Promise<{ client: T; socket: Socket }> {
  let client: T | undefined;
  const sockets = await socketsOpenedBy(async () => {
    client = await open();
  });
  if (sockets.length !== 1) throw new Error(`expected the client to open one socket, it opened ${sockets.length}`);
  return { client: client as T, socket: sockets[0] as Socket };
}

/**
 * The ambiguous failure: run `call` while the client reads nothing (its reply stays unread in the
 * kernel's buffer); once `done()` says the server has carried it out, cut the connection.
 */
export async function losingTheReply<T>(
  socket: Socket,
  call: () => Promise<T>,
  done: () => Promise<boolean>,
  what: string,
): Promise<T> {
  socket.pause();
  const inFlight = call();
  inFlight.catch(() => {}); // judged by the caller
  for (let waited = 0; !(await done()); waited += 10) {
    if (waited > 4_000) throw new Error(`the server never ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  socket.destroy();
  return inFlight;
}
