/**
 * `npm run shop`: the shop for real — each service a separate process on loopback, calling each
 * other over TCP, found through the NATS KV registry, keeping state in PostgreSQL, locking in
 * Redis and announcing orders on Redis Streams; the gateway process serves `POST /checkout` over
 * HTTP. `npm run shop -- --smoke` drives checkouts through that HTTP door, fires a burst at it
 * (its rate limit answers 429), runs `microcosm services` and `microcosm call` against the shop's
 * registry, prints what happened and stops everything; without it the shop runs until Ctrl-C.
 */
// microcosm-lint-ignore-file real-io-import, module-load-clock: the real shop's launcher spawns processes and cleans up real backends; it never runs inside a simulation
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { jetStreamName } from '@microcosm-ts/core/plugins/nats';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type CheckoutReply, encode } from '../contracts.js';
import { CHECKOUT_RATE_LIMIT } from '../gateway.js';
import { INITIAL_STOCK, realPlugins, SKUS, URLS } from './plugins.js';

const ROLES = ['notifications', 'payments', 'inventory-1', 'inventory-2', 'orders', 'gateway'];
const READY_TIMEOUT_MS = 120_000; // six tsx processes starting at once on a loaded 2-core machine take a while
const smoke = process.argv.includes('--smoke');
const prefix = `shop_${process.pid}_${Date.now().toString(36)}`;
const serviceFile = fileURLToPath(new URL('./service.ts', import.meta.url));
const microcosmBin = fileURLToPath(new URL('../../../bin/microcosm.js', import.meta.url));
/** The `ready <role> <address> [url]` line of each process. */
const readyLines = new Map<string, string>();

function start(role: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', serviceFile, role, prefix], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${role} did not get ready within ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code} before it was ready`)));
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      for (const line of text.split('\n').filter(Boolean)) {
        console.log(`  [${role}] ${line}`);
        if (line.startsWith('ready ')) {
          readyLines.set(role, line);
          clearTimeout(timer);
          resolve(child);
        }
      }
    });
  });
}

async function stopAll(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
}

/** Drop everything this run wrote: Redis keys, PostgreSQL tables and sequences, the NATS registry bucket. */
async function cleanUp(): Promise<void> {
  const nc = await connect({ servers: URLS.nats });
  await (await jetstreamManager(nc)).streams.delete(`KV_${jetStreamName(prefix)}_registry`).catch(() => false);
  await nc.close();
  const redis = new Redis(URLS.redis);
  for (let cursor = '0'; ; ) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  await redis.quit();
  const client = new pg.Client({
    connectionString: URLS.postgres,
  });
  await client.connect();
  const { rows } = await client.query<{ name: string; kind: string }>(
    `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relname LIKE $1 AND c.relkind IN ('r', 'S')`,
    [`${prefix}%`],
  );
  for (const row of rows)
    await client.query(`DROP ${row.kind === 'r' ? 'TABLE' : 'SEQUENCE'} IF EXISTS "${row.name}" CASCADE`);
  await client.end();
}

const launcher = realPlugins(prefix, 'launcher');
const children: ChildProcess[] = [];
let exitCode = 0;
try {
  const inventory = launcher.store.withScope({ table: 'inventory' });
  for (const sku of SKUS)
    await inventory.write({ key: `stock/${sku}`, value: encode({ stock: INITIAL_STOCK, fence: 0 }) });
  console.log(`shop ${prefix}: starting ${ROLES.length} processes`);
  // All at once: nothing calls another service until a checkout arrives.
  const started = await Promise.allSettled(ROLES.map((role) => start(role)));
  for (const result of started) if (result.status === 'fulfilled') children.push(result.value);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  const httpUrl = readyLines.get('gateway')?.split(' ')[3];
  if (httpUrl === undefined) throw new Error('the gateway did not print its HTTP URL');

  if (smoke) {
    const post = async (orderId: string, sku: string) => {
      const response = await fetch(`${httpUrl}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId, sku }),
      });
      return { status: response.status, body: (await response.json()) as CheckoutReply | { error: { code: string } } };
    };
    for (let i = 1; i <= 3; i++) {
      const { status, body } = await post(`order-${i}`, 'sku-0');
      const placed = status === 200 && 'status' in body && body.status === 'placed';
      console.log(`POST ${httpUrl}/checkout order-${i}: ${status} ${JSON.stringify(body)}`);
      if (!placed) exitCode = 1;
    }
    // A burst of 40 at once against a bucket of 5 refilled at 5/s: most must be refused with 429. Admitted ones
    // are 200, or 503/504 when a loaded machine makes orders miss the deadline (printed, not hidden).
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => post(`burst-${i}`, `sku-${1 + (i % 2)}`)));
    const statuses: Record<number, number> = {};
    for (const { status } of burst) statuses[status] = (statuses[status] ?? 0) + 1;
    console.log(`burst of 40 checkouts: ${JSON.stringify(statuses)} (limit ${JSON.stringify(CHECKOUT_RATE_LIMIT)})`);
    if (!((statuses[429] ?? 0) >= 20) || !(statuses[200] ?? 0)) exitCode = 1;
    if (Object.keys(statuses).some((status) => !['200', '429', '503', '504'].includes(status))) exitCode = 1;

    const microcosm = (...args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const cli = spawn(process.execPath, [microcosmBin, ...args, '--registry', URLS.nats, '--prefix', prefix], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        cli.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
        cli.once('exit', (code) => resolve({ code, out }));
      });
    const services = await microcosm('services');
    console.log(`microcosm services (exit ${services.code}):\n${services.out.trimEnd()}`);
    if (services.code !== 0 || !ROLES.every((role) => services.out.includes(role.replace(/-\d$/, '')))) exitCode = 1;
    const call = await microcosm('call', 'gateway', 'Gateway.Checkout', '{"orderId":"cli-1","sku":"sku-0"}', '--json');
    console.log(`microcosm call gateway Gateway.Checkout (exit ${call.code}): ${call.out.trim()}`);
    if (call.code !== 0 || !call.out.includes('"placed"')) exitCode = 1;
    const stock = await inventory.read('stock/sku-0');
    const left = stock ? (JSON.parse(new TextDecoder().decode(stock.value)) as { stock: number }).stock : undefined;
    console.log(`stock of sku-0: ${left} (started at ${INITIAL_STOCK})`);
    if (left === undefined) exitCode = 1;
    console.log(exitCode === 0 ? 'smoke: ok' : 'smoke: FAILED');
  } else {
    console.log(
      `shop running; POST ${httpUrl}/checkout, or call Gateway.Checkout on service "gateway". Ctrl-C stops it.`,
    );
    await once(process, 'SIGINT');
  }
} catch (error) {
  console.error(`shop: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await stopAll(children);
  console.log('shop: every process stopped');
  await launcher.close();
  await cleanUp().catch((error: unknown) => console.error(`shop: cleanup failed: ${String(error)}`));
}
process.exit(exitCode);
