/**
 * `npm run shop`: the shop for real — each service a separate process on loopback, calling each
 * other over TCP, found through the NATS KV registry, keeping state in PostgreSQL, locking in
 * Redis and announcing orders on Redis Streams. `npm run shop -- --smoke` drives checkouts through the
 * gateway, prints what happened and stops everything; without it the shop runs until Ctrl-C.
 */
// microcosm-lint-ignore-file real-io-import, module-load-clock: the real shop's launcher spawns processes and cleans up real backends; it never runs inside a simulation
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createService } from '@microcosm-ts/core';
import { jetStreamName } from '@microcosm-ts/core/plugins/nats';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type CheckoutReply, encode } from '../contracts.js';
import { INITIAL_STOCK, realPlugins, SKUS, URLS } from './plugins.js';

const ROLES = ['notifications', 'payments', 'inventory-1', 'inventory-2', 'orders', 'gateway'];
const READY_TIMEOUT_MS = 30_000;
const smoke = process.argv.includes('--smoke');
const prefix = `shop_${process.pid}_${Date.now().toString(36)}`;
const serviceFile = fileURLToPath(new URL('./service.ts', import.meta.url));

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
  const client = createService({ ...launcher, name: 'shop-client' }).client;

  if (smoke) {
    for (let i = 1; i <= 3; i++) {
      const reply = await client.call<CheckoutReply>(
        'gateway',
        'Gateway.Checkout',
        { orderId: `order-${i}`, sku: 'sku-0' },
        { timeoutMs: 10_000 },
      );
      console.log(`checkout order-${i}: ${reply.status}`);
      if (reply.status !== 'placed') exitCode = 1;
    }
    const stock = await inventory.read('stock/sku-0');
    const left = stock ? (JSON.parse(new TextDecoder().decode(stock.value)) as { stock: number }).stock : undefined;
    console.log(`stock of sku-0: ${left} (started at ${INITIAL_STOCK})`);
    if (left === undefined) exitCode = 1;
    console.log(exitCode === 0 ? 'smoke: ok' : 'smoke: FAILED');
  } else {
    console.log('shop running; call it with Gateway.Checkout on service "gateway". Ctrl-C stops it.');
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
