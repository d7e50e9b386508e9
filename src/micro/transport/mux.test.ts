import { describe, expect, it } from 'vitest';
import { notFound } from '../errors.js';
import { memoryTransport } from './memory.js';
import { Mux } from './mux.js';
import type { OpenRequest } from './mux-frames.js';
import type { MuxStream } from './mux-stream.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (body: Uint8Array) => new TextDecoder().decode(body);
const request: OpenRequest = {
  service: 'echo',
  endpoint: 'Echo.Call',
  contentType: 'text/plain',
  input: 'many',
  metadata: { user: 'ada' },
  timeoutMs: 250,
};
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A dialer mux and an acceptor mux joined by a memory connection; accepted streams go to `onStream`. */
async function pair(onStream: (stream: MuxStream) => void, window?: number) {
  const transport = memoryTransport();
  let server!: Mux;
  const listener = await transport.listen('', (connection) => {
    server = new Mux(
      connection,
      window === undefined ? { role: 'acceptor', onStream } : { role: 'acceptor', onStream, window },
    );
  });
  const connection = await transport.dial(listener.address);
  const client = new Mux(connection, window === undefined ? { role: 'dialer' } : { role: 'dialer', window });
  return { client, server: () => server, connection };
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const body of stream) out.push(text(body));
  return out;
}

describe('mux', () => {
  it('carries a unary call as one frame each way, with metadata and the timeout', async () => {
    let seen: OpenRequest | undefined;
    const { client, server } = await pair(async (stream) => {
      seen = stream.request;
      const [name] = await collect(stream);
      await stream.send(bytes(`hello ${name}`), { end: true });
    });
    const call = client.open({ ...request, input: 'one' }, { body: bytes('ada'), end: true });
    expect(await collect(call)).toEqual(['hello ada']);
    expect(seen).toEqual({ ...request, input: 'one' });
    await tick();
    expect([client.active, server().active]).toEqual([0, 0]);
  });

  it('applies back-pressure: a sender waits for credit until the reader consumes', async () => {
    let sent = 0;
    let reader!: MuxStream;
    const { client } = await pair((stream) => {
      reader = stream;
    }, 4);
    const writer = client.open(request);
    const writing = (async () => {
      for (let i = 0; i < 10; i++) {
        await writer.send(bytes(String(i)));
        sent++;
      }
      writer.end();
    })();
    await tick();
    expect(sent).toBe(4); // the whole window, and not one more
    const received = await collect(reader);
    await writing;
    expect(received).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('ends a stream cleanly on both sides when the caller cancels', async () => {
    let serverSide!: MuxStream;
    const { client, server } = await pair((stream) => {
      serverSide = stream;
    });
    const call = client.open(request);
    await call.send(bytes('first'));
    await tick();
    call.cancel();
    await tick();
    expect(await collect(call)).toEqual([]); // the canceller's reads just finish
    await expect(collect(serverSide)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(serverSide.signal.aborted).toBe(true);
    await expect(serverSide.send(bytes('late'))).rejects.toMatchObject({ code: 'CANCELLED' });
    expect([client.active, server().active]).toEqual([0, 0]);
  });

  it('ends a stream cleanly on both sides when the server cancels', async () => {
    const { client, server } = await pair((stream) => {
      void stream.send(bytes('one')).then(() => stream.cancel('server had enough'));
    });
    const call = client.open(request);
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const body of call) got.push(text(body));
      })(),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(got).toEqual(['one']);
    expect(call.signal.aborted).toBe(true);
    await tick();
    expect([client.active, server().active]).toEqual([0, 0]);
  });

  it('hands a failure to the peer as a typed error', async () => {
    const { client } = await pair((stream) => stream.fail(notFound('no such thing', { id: 'echo' })));
    const call = client.open(request, { body: bytes('?'), end: true });
    await expect(collect(call)).rejects.toMatchObject({ code: 'NOT_FOUND', detail: 'no such thing' });
  });

  it('terminates every open stream with UNAVAILABLE when the connection drops', async () => {
    const { client, connection } = await pair(() => {});
    const a = client.open(request);
    const b = client.open(request);
    connection.close(new Error('cable cut'));
    await expect(collect(a)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(b.send(bytes('x'))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(client.active).toBe(0);
  });

  it('fails only the stream of a malformed frame, naming the problem; the connection carries on', async () => {
    const { client, server } = await pair(async (stream) => {
      const [name] = await collect(stream);
      await stream.send(bytes(`hello ${name}`), { end: true });
    });
    const healthy = Array.from({ length: 5 }, () => client.open(request));
    const replies: Array<Promise<string[]>> = [];
    let refusal: unknown;
    await tick();
    const acceptor = server().connection;
    const send = acceptor.send.bind(acceptor);
    acceptor.send = (frame) => {
      if (frame.header.id === '99' && frame.header.t === 'err') refusal = text(frame.body);
      send(frame);
    };
    // A raw open with a bad 'in' header, on the dialer's side of the id space.
    client.connection.send({
      header: { t: 'open', id: '99', ep: 'X.Y', ct: 'a/b', in: 'sideways', win: '4' },
      body: bytes(''),
    });
    await tick();
    expect(String(refusal)).toContain("open frame has a bad 'in' header: 'sideways'");
    expect(client.closed).toBe(false);
    for (const stream of healthy) {
      await stream.send(bytes('ada'), { end: true });
      replies.push(collect(stream));
    }
    expect(await Promise.all(replies)).toEqual(Array.from({ length: 5 }, () => ['hello ada']));
  });

  it('fails a stream whose peer overruns its window, and only that stream', async () => {
    const { client, server } = await pair(() => {}, 2);
    const victim = client.open(request);
    const bystander = client.open(request);
    await tick();
    for (let i = 0; i < 3; i++) client.connection.send({ header: { t: 'msg', id: victim.id }, body: bytes('x') });
    await expect(collect(victim)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      detail: expect.stringContaining('overran'),
    });
    expect(client.closed).toBe(false);
    expect(server().active).toBe(1);
    bystander.cancel();
  });

  it('holds opens past maxConcurrentStreams until a stream finishes, then sends them in order', async () => {
    const order: string[] = [];
    const release: Array<() => void> = [];
    const transport = memoryTransport();
    const listener = await transport.listen('', (connection) => {
      new Mux(connection, {
        role: 'acceptor',
        maxConcurrentStreams: 2,
        onStream: async (stream) => {
          const [name] = await collect(stream);
          order.push(name ?? '');
          await new Promise<void>((resolve) => release.push(resolve));
          await stream.send(bytes(`hello ${name}`), { end: true });
        },
      });
    });
    const client = new Mux(await transport.dial(listener.address), { role: 'dialer', maxConcurrentStreams: 2 });
    const calls = ['a', 'b', 'c', 'd'].map((name) =>
      collect(client.open({ ...request, input: 'one' }, { body: bytes(name), end: true })),
    );
    await tick();
    expect([order, client.waiting]).toEqual([['a', 'b'], 2]);
    release.shift()?.();
    await tick();
    await tick();
    expect(order).toEqual(['a', 'b', 'c']);
    for (let i = 0; i < 3; i++) {
      release.shift()?.();
      await tick();
      await tick();
    }
    expect(await Promise.all(calls)).toEqual([['hello a'], ['hello b'], ['hello c'], ['hello d']]);
    expect([client.active, client.waiting]).toEqual([0, 0]);
  });

  it('refuses, with a retryable UNAVAILABLE, opens from a peer that ignores the limit', async () => {
    const transport = memoryTransport();
    const listener = await transport.listen('', (connection) => {
      new Mux(connection, { role: 'acceptor', maxConcurrentStreams: 1, onStream: () => {} });
    });
    const client = new Mux(await transport.dial(listener.address), { role: 'dialer', maxConcurrentStreams: 5 });
    const first = client.open(request);
    const second = client.open(request);
    await expect(collect(second)).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    expect(first.done).toBe(false);
    expect(client.closed).toBe(false);
  });

  it('waits to send a message while the connection is full', async () => {
    const { client } = await pair(() => {});
    let full: { promise: Promise<void>; resolve: () => void } | undefined;
    Object.assign(client.connection, {
      whenWritable: () => full?.promise,
    });
    let resolve!: () => void;
    full = { promise: new Promise<void>((r) => (resolve = r)), resolve: () => resolve() };
    const stream = client.open(request);
    let sent = false;
    const sending = stream.send(bytes('x')).then(() => {
      sent = true;
    });
    await tick();
    expect(sent).toBe(false);
    const waitFor = full;
    full = undefined;
    waitFor.resolve();
    await sending;
    expect(sent).toBe(true);
  });
});

describe('mux, fuzzed', () => {
  it('never throws on random frames and never closes the connection over them', async () => {
    const fc = (await import('fast-check')).default;
    const headerKeys = fc.constantFrom('t', 'id', 'ep', 'ct', 'in', 'win', 'to', 'n', 'end', 'msg', 'svc', 'md.user');
    const headerValues = fc.oneof(
      fc.constantFrom('open', 'msg', 'end', 'credit', 'err', 'cancel', '1', '2', 'one', 'many', '0', '-1', ''),
      fc.string({ maxLength: 8 }),
    );
    const frames = fc.array(
      fc.record({ header: fc.dictionary(headerKeys, headerValues), body: fc.uint8Array({ maxLength: 32 }) }),
      { maxLength: 12 },
    );
    await fc.assert(
      fc.asyncProperty(frames, async (sequence) => {
        const reasons: Array<Error | undefined> = [];
        const { client, server } = await pair((stream) => {
          void stream.send(bytes('ok'), { end: true }).catch(() => {});
        });
        await tick();
        server().connection.onClose((reason) => reasons.push(reason));
        for (const frame of sequence) {
          if (client.connection.closed) break;
          client.connection.send(frame);
        }
        await tick();
        // A bad frame fails at most its own stream.
        return reasons.length === 0 && !client.connection.closed;
      }),
      { numRuns: 150 },
    );
  });
});
