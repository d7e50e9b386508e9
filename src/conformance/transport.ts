/**
 * transportConformance: the executable contract of {@link Transport} (see
 * `src/micro/transport/types.ts`) and of the {@link Mux} every transport carries — framing,
 * streams, flow control, cancellation, connection loss and limits. One line per transport:
 *
 *   transportConformance('tcp', async () => ({ subject: realTransport(tcpTransport(), '127.0.0.1:0') }));
 *
 * Every await in a test goes through `subject.settle`, so the same suite drives a simulation
 * (where time moves only while the sim runs) and real sockets alike.
 */
import { describe, expect } from 'vitest';
import { notFound } from '../micro/errors.js';
import { Mux, type MuxOptions } from '../micro/transport/mux.js';
import type { OpenRequest } from '../micro/transport/mux-frames.js';
import type { MuxStream } from '../micro/transport/mux-stream.js';
import type { IncomingCall } from '../micro/transport/mux-unary.js';
import type { Connection, Frame, Transport } from '../micro/transport/types.js';
import { announceUnsupported, type Factory, itWhen, type Unsupported, using } from './support.js';

export interface TransportSubject {
  /** The listening side. */
  readonly server: Transport;
  /** The dialing side (may be the same transport). */
  readonly client: Transport;
  /** What to listen on: `''` for in-process transports, `127.0.0.1:0` for sockets. */
  readonly listenAddress: string;
  /** Await `promise` while time moves: the promise itself on real transports, `sim.settle` in a sim. */
  settle<T>(promise: Promise<T>): Promise<T>;
  /** Let `ms` pass (real or virtual). */
  wait(ms: number): Promise<void>;
}

/** A subject over real time: settle is an ordinary await. */
export function realTransportSubject(server: Transport, listenAddress: string, client = server): TransportSubject {
  return {
    server,
    client,
    listenAddress,
    settle: (promise) => promise,
    wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

export type TransportCapability = 'largeFrames';

export interface TransportConformanceOptions {
  readonly unsupported?: Unsupported<TransportCapability>;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (body: Uint8Array) => new TextDecoder().decode(body);
const request: OpenRequest = {
  service: 'echo',
  endpoint: 'Echo.Call',
  contentType: 'text/plain',
  input: 'many',
  metadata: { user: 'ada' },
};

export function transportConformance(
  name: string,
  factory: Factory<TransportSubject>,
  options: TransportConformanceOptions = {},
): void {
  const unsupported = options.unsupported ?? {};
  announceUnsupported(`transport ${name}`, unsupported);
  const it = itWhen(unsupported);
  const itLarge = itWhen(unsupported, 'largeFrames');

  /** A listener whose accepted connections are kept, and a dialled connection to it. */
  async function connected(s: TransportSubject, onAccept: (c: Connection) => void = () => {}) {
    const accepted: Connection[] = [];
    const listener = await s.settle(
      s.server.listen(s.listenAddress, (connection) => {
        accepted.push(connection);
        onAccept(connection);
      }),
    );
    const connection = await s.settle(s.client.dial(listener.address));
    return { listener, connection, accepted };
  }

  /** A dialer mux and acceptor muxes whose streams go to `onStream`. */
  async function muxed(s: TransportSubject, onStream: (stream: MuxStream) => void, extra: Partial<MuxOptions> = {}) {
    const servers: Mux[] = [];
    const { listener, connection } = await connected(s, (c) => {
      servers.push(new Mux(c, { ...extra, role: 'acceptor', onStream }));
    });
    const client = new Mux(connection, { ...extra, role: 'dialer' });
    return { listener, client, servers };
  }

  /** Read a stream to its end (plain awaits: usable inside a simulation; wrap in `settle` outside). */
  async function collect(stream: MuxStream): Promise<string[]> {
    const out: string[] = [];
    for await (const body of stream) out.push(text(body));
    return out;
  }

  /** A unary call's reply as text (rejects with the call's error). */
  const unary = (mux: Mux, body: string, call: OpenRequest = { ...request, input: 'one' }) =>
    new Promise<string>((resolve, reject) => {
      mux.call(call, bytes(body), { onReply: (reply) => resolve(text(reply)), onError: reject });
    });

  /** A server that answers every message with `echo <message>` and ends when the caller does. */
  const echo = async (stream: MuxStream) => {
    try {
      for await (const body of stream) await stream.send(bytes(`echo ${text(body)}`));
      stream.end();
    } catch {
      // the caller went away
    }
  };

  describe(`transport conformance: ${name}`, () => {
    describe('framing', () => {
      it('delivers frames whole and in order, headers and bodies intact, both ways', () =>
        using(factory, async ({ subject: s }) => {
          const received: Frame[] = [];
          const { connection, accepted } = await connected(s, (c) => c.onFrame((f) => received.push(f)));
          const sizes = [0, 1, 1_000, 10_000];
          for (let i = 0; i < 40; i++) {
            const body = new Uint8Array(sizes[i % sizes.length] as number).fill(i);
            connection.send({ header: { seq: String(i), 'md.ünï': 'cödé' }, body });
          }
          for (let t = 0; t < 200 && received.length < 40; t++) await s.wait(5);
          expect(received.map((f) => f.header.seq)).toEqual(Array.from({ length: 40 }, (_, i) => String(i)));
          expect(received[5]?.header['md.ünï']).toBe('cödé');
          expect(received.map((f) => f.body.length)).toEqual(Array.from({ length: 40 }, (_, i) => sizes[i % 4]));
          expect(received[7]?.body.every((b) => b === 7)).toBe(true);
          const back: Frame[] = [];
          connection.onFrame((f) => back.push(f));
          accepted[0]?.send({ header: { reply: 'yes' }, body: bytes('pong') });
          for (let t = 0; t < 200 && back.length < 1; t++) await s.wait(5);
          expect(back.map((f) => [f.header.reply, text(f.body)])).toEqual([['yes', 'pong']]);
        }));

      itLarge('carries a 1 MiB frame', () =>
        using(factory, async ({ subject: s }) => {
          const received: Frame[] = [];
          const { connection } = await connected(s, (c) => c.onFrame((f) => received.push(f)));
          connection.send({ header: {}, body: new Uint8Array(1024 * 1024).fill(9) });
          for (let t = 0; t < 400 && received.length < 1; t++) await s.wait(5);
          expect(received[0]?.body.length).toBe(1024 * 1024);
        }),
      );

      it('rejects a dial to an address nobody listens on with UNAVAILABLE', () =>
        using(factory, async ({ subject: s }) => {
          const listener = await s.settle(s.server.listen(s.listenAddress, () => {}));
          const address = listener.address;
          await s.settle(listener.close());
          await expect(s.settle(s.client.dial(address))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
        }));
    });

    describe('streams', () => {
      it('carries concurrent unary calls and a bidirectional stream over one connection', () =>
        using(factory, async ({ subject: s }) => {
          const { client } = await muxed(s, echo);
          const calls = Array.from({ length: 10 }, (_, i) =>
            collect(client.open({ ...request, input: 'one' }, { body: bytes(`n${i}`), end: true })),
          );
          const chat = client.open(request);
          const replies: string[] = [];
          for (const word of ['a', 'b', 'c']) {
            await s.settle(chat.send(bytes(word)));
            const next = await s.settle(chat.next());
            if (!next.done) replies.push(text(next.value));
          }
          chat.end();
          expect(replies).toEqual(['echo a', 'echo b', 'echo c']);
          expect(await s.settle(Promise.all(calls))).toEqual(Array.from({ length: 10 }, (_, i) => [`echo n${i}`]));
        }));

      it('fails only the stream of a malformed frame; the connection carries on', () =>
        using(factory, async ({ subject: s }) => {
          const { client } = await muxed(s, echo);
          client.connection.send({
            header: { t: 'open', id: '1001', ep: 'X', ct: 'a/b', in: 'sideways', win: '4' },
            body: bytes(''),
          });
          client.connection.send({ header: { t: 'credit', id: '1001', n: 'lots' }, body: bytes('') });
          const reply = await s.settle(
            collect(client.open({ ...request, input: 'one' }, { body: bytes('ok'), end: true })),
          );
          expect(reply).toEqual(['echo ok']);
          expect(client.closed).toBe(false);
        }));
    });

    describe('unary calls', () => {
      it('answers calls through onCall beside a stream', () =>
        using(factory, async ({ subject: s }) => {
          const { client } = await muxed(s, echo, {
            onCall: (call) => call.reply(bytes(`call ${text(call.body)} by ${call.request.metadata.user}`)),
          });
          const chat = client.open(request);
          const calls = Array.from({ length: 10 }, (_, i) => unary(client, `n${i}`));
          await s.settle(chat.send(bytes('a')));
          const next = await s.settle(chat.next());
          chat.end();
          expect(next.done ? undefined : text(next.value)).toBe('echo a');
          expect(await s.settle(Promise.all(calls))).toEqual(Array.from({ length: 10 }, (_, i) => `call n${i} by ada`));
        }));

      it('hands a call to onStream, as one message and its end, when there is no onCall', () =>
        using(factory, async ({ subject: s }) => {
          const { client } = await muxed(s, echo);
          expect(await s.settle(Promise.all([unary(client, 'a'), unary(client, 'b')]))).toEqual(['echo a', 'echo b']);
          expect(client.active).toBe(0);
        }));

      it("fails the caller with the callee's error, and the callee hears a cancel as CANCELLED", () =>
        using(factory, async ({ subject: s }) => {
          const held: IncomingCall[] = [];
          const aborted: unknown[] = [];
          const { client } = await muxed(s, echo, {
            onCall: (call) => {
              if (text(call.body) === 'bad') return call.fail(notFound('no such echo'));
              call.watcher = { abort: (reason) => aborted.push(reason) };
              held.push(call);
            },
          });
          const refused = unary(client, 'bad');
          await expect(s.settle(refused)).rejects.toMatchObject({ code: 'NOT_FOUND', detail: 'no such echo' });
          let heard = false;
          const handle = client.call({ ...request, input: 'one' }, bytes('slow'), {
            onReply: () => (heard = true),
            onError: () => (heard = true),
          });
          for (let t = 0; t < 100 && held.length === 0; t++) await s.wait(5);
          handle.cancel('the caller gave up');
          for (let t = 0; t < 100 && aborted.length === 0; t++) await s.wait(5);
          expect(aborted[0]).toMatchObject({ code: 'CANCELLED' });
          held[0]?.reply(bytes('too late'));
          await s.wait(20);
          expect([heard, client.active]).toEqual([false, 0]);
        }));

      it('fails a call in flight with UNAVAILABLE on both sides when the connection closes', () =>
        using(factory, async ({ subject: s }) => {
          const aborted: unknown[] = [];
          const { client } = await muxed(s, echo, {
            onCall: (call) => {
              call.watcher = { abort: (reason) => aborted.push(reason) };
            },
          });
          const pending = unary(client, 'x');
          for (let t = 0; t < 100 && aborted.length === 0 && client.active === 1; t++) {
            await s.wait(5);
            if (t === 5) client.close(new Error('cable cut'));
          }
          await expect(s.settle(pending)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
          for (let t = 0; t < 100 && aborted.length === 0; t++) await s.wait(5);
          expect(aborted[0]).toMatchObject({ code: 'UNAVAILABLE' });
        }));

      it('holds calls past maxConcurrentStreams until a slot frees, then answers them all', () =>
        using(factory, async ({ subject: s }) => {
          const held: IncomingCall[] = [];
          const { client } = await muxed(s, echo, {
            maxConcurrentStreams: 2,
            onCall: (call) => {
              held.push(call);
            },
          });
          const calls = Array.from({ length: 5 }, (_, i) => unary(client, `n${i}`));
          for (let t = 0; t < 100 && held.length < 2; t++) await s.wait(5);
          await s.wait(20);
          expect([held.length, client.waiting]).toEqual([2, 3]);
          for (let t = 0; t < 200 && held.length < 5; t++) {
            for (const call of held) if (!call.done) call.reply(bytes(`ok ${text(call.body)}`));
            await s.wait(5);
          }
          for (const call of held) if (!call.done) call.reply(bytes(`ok ${text(call.body)}`));
          expect(await s.settle(Promise.all(calls))).toEqual(Array.from({ length: 5 }, (_, i) => `ok n${i}`));
        }));
    });

    describe('flow control', () => {
      it('holds a fast sender to the window until the reader consumes', () =>
        using(factory, async ({ subject: s }) => {
          let reader: MuxStream | undefined;
          const { client } = await muxed(
            s,
            (stream) => {
              reader = stream;
            },
            { window: 2 },
          );
          const stream = client.open(request);
          let sent = 0;
          const sending = (async () => {
            for (let i = 0; i < 5; i++) {
              await stream.send(bytes(String(i)));
              sent++;
            }
          })();
          for (let t = 0; t < 400 && (reader === undefined || sent < 2); t++) await s.wait(5);
          await s.wait(20);
          expect(sent).toBe(2);
          const got: string[] = [];
          for (let i = 0; i < 5; i++) {
            const next = await s.settle((reader as MuxStream).next());
            if (!next.done) got.push(text(next.value));
          }
          await s.settle(sending);
          expect([sent, got]).toEqual([5, ['0', '1', '2', '3', '4']]);
        }));
    });

    describe('cancellation', () => {
      it('tells the other side when a stream is cancelled: its signal aborts with CANCELLED', () =>
        using(factory, async ({ subject: s }) => {
          const signals: AbortSignal[] = [];
          const { client } = await muxed(s, (stream) => {
            signals.push(stream.signal);
          });
          const stream = client.open(request);
          for (let t = 0; t < 100 && signals.length === 0; t++) await s.wait(5);
          stream.cancel('the caller gave up');
          for (let t = 0; t < 100 && !signals[0]?.aborted; t++) await s.wait(5);
          expect(signals[0]?.reason).toMatchObject({ code: 'CANCELLED' });
        }));
    });

    describe('connection loss', () => {
      it('ends every open stream on both sides with UNAVAILABLE when the connection closes', () =>
        using(factory, async ({ subject: s }) => {
          const serverStreams: MuxStream[] = [];
          const { client, servers } = await muxed(s, (stream) => {
            serverStreams.push(stream);
          });
          const streams = [client.open(request), client.open(request)];
          for (let t = 0; t < 100 && serverStreams.length < 2; t++) await s.wait(5);
          const closed: Array<Error | undefined> = [];
          servers[0]?.connection.onClose((reason) => closed.push(reason));
          client.close(new Error('cable cut'));
          for (const stream of streams)
            await expect(s.settle(collect(stream))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
          for (let t = 0; t < 100 && closed.length === 0; t++) await s.wait(5);
          expect(closed).toHaveLength(1);
          await expect(s.settle(collect(serverStreams[0] as MuxStream))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
        }));

      it('closes accepted connections when the listener closes', () =>
        using(factory, async ({ subject: s }) => {
          const { listener, connection } = await connected(s);
          const closed: Array<Error | undefined> = [];
          connection.onClose((reason) => closed.push(reason));
          await s.settle(listener.close());
          for (let t = 0; t < 200 && closed.length === 0; t++) await s.wait(5);
          expect(connection.closed).toBe(true);
        }));
    });

    describe('limits', () => {
      it('keeps at most maxConcurrentStreams open at once; the rest wait and then complete', () =>
        using(factory, async ({ subject: s }) => {
          let open = 0;
          let most = 0;
          let release!: () => void;
          const gate = new Promise<void>((resolve) => {
            release = resolve;
          });
          const { client } = await muxed(
            s,
            async (stream) => {
              open++;
              most = Math.max(most, open);
              await collect(stream);
              await gate;
              open--;
              await stream.send(bytes('done'), { end: true });
            },
            { maxConcurrentStreams: 2 },
          );
          const calls = Array.from({ length: 6 }, () =>
            collect(client.open({ ...request, input: 'one' }, { body: bytes('x'), end: true })),
          );
          for (let t = 0; t < 100 && open < 2; t++) await s.wait(5);
          await s.wait(20);
          expect([open, client.waiting]).toEqual([2, 4]);
          release();
          expect(await s.settle(Promise.all(calls))).toEqual(Array.from({ length: 6 }, () => ['done']));
          expect(most).toBe(2);
        }));
    });
  });
}
