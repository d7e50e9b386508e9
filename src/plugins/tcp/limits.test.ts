import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameDecoder } from './decoder.js';
import type { TcpTransportOptions } from './options.js';
import { eventually, type Loopback, loopback } from './test-helpers.js';
import { tcpTransport } from './transport.js';
import { encodeData, encodeOpen, type WireMessage } from './wire.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((stop) => stop()));
});

async function server(options: TcpTransportOptions): Promise<Loopback> {
  const lb = await loopback(tcpTransport(options));
  cleanup.push(() => lb.stop());
  return lb;
}

/** A raw socket speaking the wire format by hand; it reads only when told to. */
async function raw(address: string, reading = true) {
  const [host, port] = address.split(':') as [string, string];
  const socket: Socket = connect({ host, port: Number(port) });
  cleanup.push(() => void socket.destroy());
  await new Promise((resolve) => socket.once('connect', resolve));
  const decoder = new FrameDecoder(1 << 24);
  const received: WireMessage[] = [];
  let closed = false;
  socket.on('data', (chunk: Buffer) => received.push(...decoder.push(chunk).messages));
  socket.on('close', () => {
    closed = true;
  });
  socket.on('error', () => {});
  if (!reading) socket.pause();
  return { socket, received, isClosed: () => closed };
}

describe('tcp transport limits', () => {
  it('drops an accepted socket that sends nothing within firstByteTimeoutMs', async () => {
    const { listener } = await server({ firstByteTimeoutMs: 50 });
    const silent = await raw(listener.address);
    const started = Date.now();
    await eventually(silent.isClosed);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });

  it('ends an accepted socket that carries no channel for acceptIdleTimeoutMs, not one that does', async () => {
    const { listener } = await server({ acceptIdleTimeoutMs: 60 });
    const idle = await raw(listener.address);
    idle.socket.write(encodeOpen(1));
    const busy = await raw(listener.address);
    busy.socket.write(encodeOpen(1));
    // Close idle's only channel by hand: CLOSE (kind 3) on channel 1.
    idle.socket.write(Buffer.from([0, 0, 0, 2, 3, 1]));
    await eventually(idle.isClosed);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(busy.isClosed()).toBe(false);
  });

  it('refuses opens past maxChannelsPerSocket with a CLOSE each, keeping the socket', async () => {
    const { listener, accepted } = await server({ maxChannelsPerSocket: 3 });
    const flood = await raw(listener.address);
    for (let channel = 1; channel <= 10; channel++) flood.socket.write(encodeOpen(channel));
    await eventually(() => flood.received.filter((m) => m.type === 'close').length === 7);
    expect(accepted).toHaveLength(3);
    expect(flood.isClosed()).toBe(false);
    const refusal = flood.received.find((m) => m.type === 'close');
    expect(refusal?.type === 'close' && refusal.reason).toContain('maxChannelsPerSocket');
  });

  it('makes senders wait and stops dispatching while a reader does not read, then catches up', async () => {
    const { listener, acceptedAt, accepted } = await server({ maxWriteBufferBytes: 64 * 1024 });
    const slow = await raw(listener.address, false);
    slow.socket.write(encodeOpen(1));
    const first = await acceptedAt(0);
    const big = { header: {}, body: new Uint8Array(256 * 1024) };
    let waited = 0;
    // Fill the socket: the kernel buffers take some, then the session counts as full.
    for (let i = 0; i < 64 && first.connection.whenWritable?.() === undefined; i++) first.connection.send(big);
    const full = first.connection.whenWritable?.();
    expect(full).toBeInstanceOf(Promise);
    void full?.then(() => waited++);
    // New opens from the same socket are not dispatched while it is full.
    slow.socket.write(encodeOpen(3));
    slow.socket.write(encodeData(3, { header: { a: 'b' }, body: new Uint8Array(1) }, 1 << 20));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect([accepted.length, waited]).toEqual([1, 0]);
    slow.socket.resume(); // the reader catches up: the socket drains, senders wake, the open is served
    await eventually(() => accepted.length === 2 && waited === 1);
    expect((await acceptedAt(1)).frames).toHaveLength(1);
  });

  it('names a bad limit', () => {
    expect(() => tcpTransport({ maxConcurrentStreams: 0 })).toThrow('maxConcurrentStreams must be an integer');
    expect(() => tcpTransport({ firstByteTimeoutMs: Number.NaN })).toThrow('firstByteTimeoutMs');
  });
});
