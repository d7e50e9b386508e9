// The server side of `bench/tcp-hostile.ts`, run in its own process so that its memory is its own:
// one service over tcpTransport whose `Blob.Get` answers 64 KiB. It prints its address, then
// answers each 'mem' message on IPC with its memory after a full GC. MICROCOSM_SRC points it at
// another checkout's sources (to measure the code before a change with the same script).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const src = process.env.MICROCOSM_SRC ?? new URL('../src', import.meta.url).pathname;
const core = await import(`${src}/index.ts`);
const { tcpTransport } = await import(`${src}/plugins/tcp/index.ts`);

const reply = 'x'.repeat(64 * 1024);
const service = core.createService({
  name: 'blob',
  registry: new core.MemoryRegistry(),
  transport: tcpTransport(),
  logger: core.silentLogger,
  server: { address: '127.0.0.1:0' },
});
service.handle('Blob', { Get: async () => reply });
await service.start();

process.on('message', (message) => {
  if (message !== 'mem') return;
  gc();
  const { heapUsed, external, arrayBuffers, rss } = process.memoryUsage();
  process.send?.({ heapUsed, external, arrayBuffers, rss });
});
process.send?.({ address: service.server.address });
