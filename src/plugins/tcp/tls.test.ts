import { copyFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../micro/transport/types.js';
import type { TcpConnection } from './connection.js';
import { type TestCa, testCa } from './test-certs.js';
import { eventually, frame, type Loopback, loopback, memoryLogger, record, text } from './test-helpers.js';
import type { TcpTlsOptions } from './tls-options.js';
import { type TcpTransport, tcpTransport } from './transport.js';

let ca: TestCa;
let otherCa: TestCa;
beforeAll(() => {
  ca = testCa('microcosm-ca');
  otherCa = testCa('someone-elses-ca');
});
afterAll(() => {
  ca.remove();
  otherCa.remove();
});

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((stop) => stop()));
});

/** A transport presenting `service`'s identity from `issuer`, trusting `trust`, accepting `peers`. */
function identity(service: string, peers: readonly string[], extra: Partial<TcpTlsOptions> = {}, issuer = ca) {
  const id = issuer.issue(service);
  return { cert: id.cert, key: id.key, ca: ca.ca, peers, ...extra } satisfies TcpTlsOptions;
}

function transport(tls: TcpTlsOptions, logger = memoryLogger()): TcpTransport {
  const t = tcpTransport({ tls, logger });
  cleanup.push(() => t.close());
  return t;
}

async function serve(tls: TcpTlsOptions, logger = memoryLogger()): Promise<Loopback & { logger: typeof logger }> {
  const lb = await loopback(tcpTransport({ tls, logger }));
  cleanup.push(() => lb.stop());
  return { ...lb, logger };
}

/**
 * Dial `server` and send one frame: 'ok' once the server accepted it, the error's code when the
 * dial is refused, 'closed' when the server drops the connection after the handshake.
 */
async function attempt(client: TcpTransport, server: Loopback): Promise<string> {
  let connection: Connection;
  const before = server.accepted.length;
  try {
    connection = await client.dial(server.listener.address);
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  const recorded = record(connection);
  connection.send(frame('ping'));
  const outcome = await Promise.race([
    server.acceptedAt(before).then(() => 'ok'),
    recorded.closed.then(() => 'closed'),
  ]);
  connection.close();
  return outcome;
}

describe('tcp transport over mutual TLS with service identities', () => {
  it('carries frames between services that name each other, and tells the server who called', async () => {
    const server = await serve(identity('greeter', ['caller']));
    const client = transport(identity('caller', ['greeter']));
    const connection = record(await client.dial(server.listener.address));
    connection.connection.send(frame('hello'));
    const accepted = await server.acceptedAt(0);
    expect(text((await accepted.frameCount(1))[0])).toBe('hello');
    expect((accepted.connection as TcpConnection).peerService).toBe('caller');
    expect((connection.connection as TcpConnection).peerService).toBe('greeter');
  });

  it('refuses a server whose certificate names another service', async () => {
    const server = await serve(identity('payments', ['caller']));
    const client = transport(identity('caller', ['greeter']));
    await expect(client.dial(server.listener.address)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      retryable: false,
      detail: expect.stringContaining("names service 'payments', not one of greeter"),
    });
  });

  it('refuses a client whose certificate names a service the server does not accept', async () => {
    const server = await serve(identity('greeter', ['caller']));
    const client = transport(identity('intruder', ['greeter']));
    expect(await attempt(client, server)).not.toBe('ok');
    expect(server.accepted).toHaveLength(0);
    await eventually(() => server.logger.lines.some((l) => l.message.includes('not allowed')));
  });

  it('refuses a server signed by a CA the client does not trust', async () => {
    const server = await serve({ ...identity('greeter', ['caller'], {}, otherCa), ca: ca.ca });
    const client = transport(identity('caller', ['greeter']));
    await expect(client.dial(server.listener.address)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses a client signed by a CA the server does not trust', async () => {
    const server = await serve(identity('greeter', ['caller']));
    const client = transport({ ...identity('caller', ['greeter'], {}, otherCa), ca: ca.ca });
    expect(await attempt(client, server)).not.toBe('ok');
    expect(server.accepted).toHaveLength(0);
  });

  it('refuses an expired server certificate, and an expired client certificate', async () => {
    const old = ca.issue('greeter', { expired: true });
    const expiredServer = await serve({ cert: old.cert, key: old.key, ca: ca.ca, peers: ['caller'] });
    const client = transport(identity('caller', ['greeter']));
    await expect(client.dial(expiredServer.listener.address)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      detail: expect.stringContaining('CERT_HAS_EXPIRED'),
    });

    const server = await serve(identity('greeter', ['caller']));
    const oldClient = ca.issue('caller', { expired: true });
    const expiredClient = transport({ cert: oldClient.cert, key: oldClient.key, ca: ca.ca, peers: ['greeter'] });
    expect(await attempt(expiredClient, server)).not.toBe('ok');
    expect(server.accepted).toHaveLength(0);
  });

  it('rotates certificates from disk without dropping open connections', async () => {
    // The server's identity lives in files; it starts signed by one CA and rotates to another.
    const first = ca.issue('greeter', { file: 'rotating' });
    const server = await serve({
      cert: { file: first.certFile },
      key: { file: first.keyFile },
      ca: { file: ca.caFile },
      peers: ['caller'],
    });
    const oldClient = transport(identity('caller', ['greeter']));
    const open = record(await oldClient.dial(server.listener.address));
    open.connection.send(frame('first'));
    const accepted = await server.acceptedAt(0);
    const newClient = transport({ ...identity('caller', ['greeter']), ca: otherCa.ca });
    expect(await attempt(newClient, server)).toBe('UNAUTHORIZED');

    const next = otherCa.issue('greeter', { file: 'next' });
    copyFileSync(next.certFile, first.certFile);
    copyFileSync(next.keyFile, first.keyFile);
    await server.transport.reloadTls();

    expect(await attempt(newClient, server)).toBe('ok');
    open.connection.send(frame('still here'));
    expect((await accepted.frameCount(2)).map(text)).toEqual(['first', 'still here']);
    expect(open.closes).toEqual([]);
  });

  it('reloads from a callback, keeping the last good material when a reload fails', async () => {
    let calls = 0;
    let broken = false;
    const good = ca.issue('greeter');
    const server = await serve({
      load: () => {
        calls++;
        if (broken) return { cert: 'not a certificate', key: 'nor a key', ca: ca.ca };
        return { cert: good.cert, key: good.key, ca: ca.ca };
      },
      peers: ['caller'],
    });
    const client = transport(identity('caller', ['greeter']));
    broken = true;
    await expect(server.transport.reloadTls()).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await attempt(client, server)).toBe('ok');
    expect(calls).toBe(2);
  });

  it('names the missing material and a bad peer list up front', () => {
    expect(() => tcpTransport({ tls: { peers: ['x'] } })).toThrow('tls needs tls.cert, tls.key, tls.ca (or tls.load)');
    expect(() => tcpTransport({ tls: { load: () => ({ cert: '', key: '', ca: '' }), peers: [''] } })).toThrow(
      'tls.peers must be a list of service names',
    );
  });
});
