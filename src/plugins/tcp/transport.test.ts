import { connect, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isMicroError, MicroError } from '../../micro/errors.js';
import { deadAddress, eventually, frame, type Loopback, loopback, memoryLogger, record, text } from './test-helpers.js';
import { tcpTransport } from './transport.js';
import { encodeOpen } from './wire.js';

const open: Loopback[] = [];
async function server(...args: Parameters<typeof loopback>): Promise<Loopback> {
  const lb = await loopback(...args);
  open.push(lb);
  return lb;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((lb) => lb.stop()));
});

describe('tcp transport over loopback', () => {
  it('listens on a free port and reports the real address', async () => {
    const { listener } = await server();
    expect(listener.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(listener.address).not.toBe('127.0.0.1:0');
  });

  it('carries frames whole and in order in both directions', async () => {
    const { transport, listener, acceptedAt } = await server();
    const client = record(await transport.dial(listener.address));
    for (let i = 0; i < 200; i++) client.connection.send(frame(`ping ${i}`, { seq: String(i), method: 'Echo.Ping' }));
    const accepted = await acceptedAt(0);
    const received = await accepted.frameCount(200);
    expect(received.map((f) => f.header.seq)).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
    expect(text(received[199])).toBe('ping 199');

    accepted.connection.send({ header: { status: 'ok' }, body: new Uint8Array(200_000).fill(1) });
    const [reply] = await client.frameCount(1);
    expect(reply?.header).toEqual({ status: 'ok' });
    expect(reply?.body.length).toBe(200_000);
  });

  it('buffers frames that arrive before the frame handler is registered', async () => {
    const { transport, listener, acceptedAt } = await server();
    const late = await transport.dial(listener.address);
    (await acceptedAt(0)).connection.send(frame('welcome'));
    await new Promise((resolve) => setTimeout(resolve, 20)); // the greeting lands before anyone listens
    const recorded = record(late);
    expect(text((await recorded.frameCount(1))[0])).toBe('welcome');
  });

  it('multiplexes many concurrent connections over one pooled socket', async () => {
    const { transport, listener, accepted } = await server();
    const clients = await Promise.all(Array.from({ length: 50 }, () => transport.dial(listener.address)));
    expect(transport.pooledSockets(listener.address)).toBe(1);
    clients.forEach((c, i) => {
      c.send(frame(`from ${i}`));
    });
    await eventually(() => accepted.length === 50 && accepted.every((a) => a.frames.length === 1));
    expect(accepted.map((a) => text(a.frames[0])).sort()).toEqual(clients.map((_, i) => `from ${i}`).sort());
  });

  it('spreads connections over up to poolSize sockets', async () => {
    const { transport, listener } = await server(tcpTransport({ poolSize: 4 }));
    await Promise.all(Array.from({ length: 12 }, () => transport.dial(listener.address)));
    expect(transport.pooledSockets(listener.address)).toBe(4);
  });

  it('opens another pooled socket for a sequential dial while every socket carries a connection', async () => {
    const { transport, listener } = await server(tcpTransport({ poolSize: 3 }));
    const first = await transport.dial(listener.address);
    await transport.dial(listener.address);
    expect(transport.pooledSockets(listener.address)).toBe(2);
    first.close();
    await transport.dial(listener.address); // reuses the socket that `first` left idle
    await transport.dial(listener.address);
    await transport.dial(listener.address);
    expect(transport.pooledSockets(listener.address)).toBe(3);
  });

  it('serves many clients on their own sockets at once', async () => {
    const { listener, accepted } = await server();
    const transports = Array.from({ length: 20 }, () => tcpTransport());
    try {
      const clients = await Promise.all(transports.map((t) => t.dial(listener.address).then(record)));
      await eventually(() => accepted.length === 20);
      for (const a of accepted) a.connection.onFrame((f) => a.connection.send(frame(`echo ${text(f)}`)));
      clients.forEach((c, i) => {
        c.connection.send(frame(String(i)));
      });
      const replies = await Promise.all(clients.map((c) => c.frameCount(1)));
      expect(replies.map((r) => text(r[0]))).toEqual(clients.map((_, i) => `echo ${i}`));
    } finally {
      await Promise.all(transports.map((t) => t.close()));
    }
  });

  it('rejects a dial to a dead port with a retryable UNAVAILABLE error naming the address', async () => {
    const address = await deadAddress();
    const error = await tcpTransport()
      .dial(address)
      .catch((e: unknown) => e);
    expect(isMicroError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    expect((error as MicroError).detail).toBe(`tcp dial ${address}: connection refused (nothing listens there)`);
  });

  it('rejects an aborted dial as CANCELLED and a malformed address as BAD_REQUEST', async () => {
    const { transport, listener } = await server();
    const aborted = await transport.dial(listener.address, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(aborted).toMatchObject({ code: 'CANCELLED' });
    await expect(transport.dial('no-port-here')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('closing', () => {
  it('runs onClose once on both sides, carries the reason across, and is idempotent', async () => {
    const { transport, listener, acceptedAt } = await server();
    const client = record(await transport.dial(listener.address));
    const accepted = await acceptedAt(0);
    const reason = new MicroError('CONFLICT', 'client is done', { id: 'test' });
    client.connection.close(reason);
    client.connection.close(new Error('second close is ignored'));
    expect(await client.closed).toBe(reason);
    const remoteReason = await accepted.closed;
    expect(remoteReason).toMatchObject({ code: 'CONFLICT', detail: 'client is done', id: 'test' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([client.closes.length, accepted.closes.length]).toEqual([1, 1]);
    expect(client.connection.closed && accepted.connection.closed).toBe(true);
    expect(() => client.connection.send(frame('late'))).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));

    const lateHandler = new Promise((resolve) => client.connection.onClose(resolve));
    expect(await lateHandler).toBe(reason);
  });

  it('flushes frames queued before close, and a clean close has no reason', async () => {
    const { transport, listener, acceptedAt } = await server();
    const client = await transport.dial(listener.address);
    for (let i = 0; i < 100; i++) client.send(frame(String(i)));
    client.close();
    const accepted = await acceptedAt(0);
    expect(await accepted.closed).toBeUndefined();
    expect(accepted.frames.map(text)).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
  });

  it('listener.close ends open connections with UNAVAILABLE after their frames, and stops accepting', async () => {
    const transport = tcpTransport();
    const { listener, acceptedAt } = await loopback(transport);
    const client = record(await transport.dial(listener.address));
    const accepted = await acceptedAt(0);
    accepted.connection.send(frame('last words'));
    const closing = listener.close();
    expect(listener.close()).toBe(closing);
    await closing;
    const reason = await client.closed;
    expect(text(client.frames[0])).toBe('last words');
    expect(reason).toMatchObject({ code: 'UNAVAILABLE', detail: `tcp listener ${listener.address} is closing` });
    await expect(transport.dial(listener.address)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await transport.close();
  });

  it('reconnects after the pooled socket closes', async () => {
    const transport = tcpTransport();
    const first = await loopback(transport);
    const address = first.listener.address;
    const before = record(await transport.dial(address));
    await first.listener.close();
    await before.closed;
    await eventually(() => transport.pooledSockets(address) === 0);

    const again = await transport.listen(address, (c) => c.onFrame((f) => c.send(frame(`back: ${text(f)}`))));
    try {
      const after = record(await transport.dial(address));
      after.connection.send(frame('hello'));
      expect(text((await after.frameCount(1))[0])).toBe('back: hello');
    } finally {
      await again.close();
      await transport.close();
    }
  });

  it('ends a pooled socket that stays idle past idleTimeoutMs', async () => {
    const { transport, listener } = await server(tcpTransport({ idleTimeoutMs: 10 }));
    const connection = await transport.dial(listener.address);
    expect(transport.pooledSockets(listener.address)).toBe(1);
    connection.close();
    await eventually(() => transport.pooledSockets(listener.address) === 0);
  });
});

describe('bad input on the wire', () => {
  it('drops a socket that sends an oversized frame, logs why, and keeps serving others', async () => {
    const logger = memoryLogger();
    const { transport, listener, acceptedAt } = await server(tcpTransport({ logger, maxFrameBytes: 1024 }));
    const good = record(await transport.dial(listener.address));
    const goodServerSide = await acceptedAt(0);

    const [host, port] = listener.address.split(':') as [string, string];
    const rogue = connect({ host, port: Number(port) });
    await new Promise((resolve) => rogue.once('connect', resolve));
    const rogueClosed = new Promise((resolve) => rogue.once('close', resolve));
    const huge = Buffer.alloc(4);
    huge.writeUInt32BE(50_000_000);
    rogue.write(huge);
    await rogueClosed;
    expect(logger.lines).toContainEqual({
      level: 'warn',
      message: 'tcp: closing connection after a bad frame',
      fields: expect.objectContaining({ reason: 'frame of 50000000 bytes exceeds maxFrameBytes 1024' }),
    });

    good.connection.send(frame('still here'));
    expect(text((await goodServerSide.frameCount(1))[0])).toBe('still here');
    expect(good.connection.closed).toBe(false);
  });

  it('closes the connections of a socket that turns corrupt, with the reason', async () => {
    const logger = memoryLogger();
    const { listener, acceptedAt } = await server(tcpTransport({ logger }));
    const [host, port] = listener.address.split(':') as [string, string];
    const rogue = connect({ host, port: Number(port) });
    rogue.on('error', () => {});
    rogue.write(encodeOpen(7));
    const accepted = await acceptedAt(0);
    rogue.write(Buffer.from([0, 0, 0, 2, 0xee, 7]));
    const reason = await accepted.closed;
    expect(reason).toMatchObject({ code: 'UNAVAILABLE', retryable: false });
    expect((reason as MicroError).detail).toMatch(/dropped: unknown frame kind 238$/);
    expect(logger.lines.map((l) => l.fields.reason)).toContain('unknown frame kind 238');
  });

  it('closes a dialed connection whose server starts sending garbage', async () => {
    const garbage = createServer((socket) => {
      socket.on('error', () => {}).resume(); // read on, so our hang-up is seen and the socket closes
      socket.write(Buffer.from([0, 0, 0, 3, 0x2a, 1, 1]));
    });
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    const logger = memoryLogger();
    const transport = tcpTransport({ logger });
    try {
      const { port } = garbage.address() as { port: number };
      const connection = record(await transport.dial(`127.0.0.1:${port}`));
      expect(await connection.closed).toMatchObject({ code: 'UNAVAILABLE', retryable: false });
      expect(logger.lines.map((l) => l.fields.reason)).toEqual(['unknown frame kind 42']);
    } finally {
      await transport.close();
      await new Promise((resolve) => garbage.close(resolve));
    }
  });

  it('validates options eagerly, naming the bad property', () => {
    expect(() => tcpTransport({ poolSize: 0 })).toThrow(/option poolSize must be an integer in \[1, 1024\], got 0/);
    expect(() => tcpTransport({ maxFrameBytes: 1.5 })).toThrow(/maxFrameBytes/);
  });
});
