/**
 * Helpers for the TCP transport's own tests: a recorder that watches one connection, a
 * loopback server that keeps what it accepted, and a logger that remembers what it was told.
 */
import { createServer } from 'node:net';
import type { Connection, Frame, Listener } from '../../micro/transport/types.js';
import type { TcpLogger } from './options.js';
import { type TcpTransport, tcpTransport } from './transport.js';

export interface Recorded {
  readonly connection: Connection;
  readonly frames: Frame[];
  readonly closes: Array<Error | undefined>;
  /** Resolves once `count` frames have arrived. */
  frameCount(count: number): Promise<Frame[]>;
  /** Resolves with the close reason once onClose has run. */
  readonly closed: Promise<Error | undefined>;
}

export function record(connection: Connection): Recorded {
  const frames: Frame[] = [];
  const closes: Array<Error | undefined> = [];
  const waiters: Array<() => void> = [];
  const closed = new Promise<Error | undefined>((resolve) =>
    connection.onClose((reason) => {
      closes.push(reason);
      resolve(reason);
    }),
  );
  connection.onFrame((frame) => {
    frames.push(frame);
    for (const wake of waiters.splice(0)) wake();
  });
  const frameCount = (count: number): Promise<Frame[]> =>
    frames.length >= count
      ? Promise.resolve(frames)
      : new Promise<void>((r) => waiters.push(r)).then(() => frameCount(count));
  return { connection, frames, closes, frameCount, closed };
}

export interface Loopback {
  readonly transport: TcpTransport;
  readonly listener: Listener;
  readonly accepted: Recorded[];
  /** Resolves with the n-th accepted connection (0-based) once it exists. */
  acceptedAt(index: number): Promise<Recorded>;
  stop(): Promise<void>;
}

export async function loopback(transport: TcpTransport = tcpTransport()): Promise<Loopback> {
  const accepted: Recorded[] = [];
  const waiters: Array<() => void> = [];
  const listener = await transport.listen('127.0.0.1:0', (connection) => {
    accepted.push(record(connection));
    for (const wake of waiters.splice(0)) wake();
  });
  const acceptedAt = (index: number): Promise<Recorded> => {
    const found = accepted[index];
    return found ? Promise.resolve(found) : new Promise<void>((r) => waiters.push(r)).then(() => acceptedAt(index));
  };
  return {
    transport,
    listener,
    accepted,
    acceptedAt,
    stop: async () => {
      await listener.close();
      await transport.close();
    },
  };
}

export function frame(text: string, header: Record<string, string> = {}): Frame {
  return { header, body: new TextEncoder().encode(text) };
}

export const text = (f: Frame | undefined) => (f === undefined ? undefined : new TextDecoder().decode(f.body));

export interface MemoryLogger extends TcpLogger {
  readonly lines: Array<{ level: string; message: string; fields: Readonly<Record<string, unknown>> }>;
}

export function memoryLogger(): MemoryLogger {
  const lines: MemoryLogger['lines'] = [];
  const at =
    (level: string) =>
    (message: string, fields: Readonly<Record<string, unknown>> = {}) => {
      lines.push({ level, message, fields });
    };
  return { lines, debug: at('debug'), warn: at('warn'), error: at('error') };
}

/** An address nobody listens on: bind a free port, then release it. */
export async function deadAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `127.0.0.1:${port}`;
}

/** Poll `check` on the event loop until it holds (the test's own timeout bounds the wait). */
export async function eventually(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}
