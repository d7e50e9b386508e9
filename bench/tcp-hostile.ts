// Server memory under two hostile clients of the TCP transport, each against a fresh server
// process (`_tcp-hostile-server.ts`):
// - slow reader: one socket sends 1,000 unary requests for a 64 KiB reply and never reads;
// - OPEN flood: one socket sends 20,000 channel OPENs (7 bytes each, 140 KB) and never reads.
// Prints the server's memory growth (heap + buffers after a full GC, and RSS) for each; the last
// line is the slow reader's growth. `MICROCOSM_SRC=/path/to/other/src` measures another checkout.
import { fork } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { encodeData, encodeOpen } from '../src/plugins/tcp/wire.js';

interface Memory {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
}

const MiB = 1024 * 1024;
const settleMs = 1_500;

async function startServer() {
  const child = fork(new URL('./_tcp-hostile-server.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: process.env,
  });
  const address = await new Promise<string>((resolve) =>
    child.once('message', (m) => resolve((m as { address: string }).address)),
  );
  const memory = () =>
    new Promise<Memory>((resolve) => {
      child.once('message', (m) => resolve(m as Memory));
      child.send('mem');
    });
  return { address, memory, stop: () => child.kill() };
}

async function rawSocket(address: string): Promise<Socket> {
  const [host, port] = address.split(':') as [string, string];
  const socket = connect({ host, port: Number(port) });
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.pause(); // never read
  return socket;
}

const used = (m: Memory) => m.heapUsed + m.external;

async function measure(name: string, attack: (socket: Socket) => void): Promise<number> {
  const server = await startServer();
  const before = await server.memory();
  const socket = await rawSocket(server.address);
  attack(socket);
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const after = await server.memory();
  socket.destroy();
  server.stop();
  const growth = (used(after) - used(before)) / MiB;
  const rss = (after.rss - before.rss) / MiB;
  console.log(`${name}: server heap+external +${growth.toFixed(1)} MiB, rss +${rss.toFixed(1)} MiB`);
  return growth;
}

const body = new TextEncoder().encode('{}');
const slow = await measure('slow reader (1,000 × 64 KiB replies unread)', (socket) => {
  socket.write(encodeOpen(1));
  const frames: Buffer[] = [];
  for (let i = 0; i < 1_000; i++) {
    const header = { t: 'open', id: String(2 * i + 1), svc: 'blob', ep: 'Blob.Get', ct: 'application/json' };
    frames.push(encodeData(1, { header: { ...header, in: 'one', win: '16', msg: '1', end: '1' }, body }, 1 << 24));
  }
  socket.write(Buffer.concat(frames));
});
await measure('OPEN flood (20,000 OPENs, 140 KB)', (socket) => {
  const opens: Buffer[] = [];
  for (let channel = 1; channel <= 20_000; channel++) opens.push(encodeOpen(channel));
  socket.write(Buffer.concat(opens));
});
console.log(`tcp-hostile: ${slow.toFixed(1)} MiB`);
