// The Redis part of bench/plugins.ts: each plugin operation beside the raw ioredis client
// sending the same commands (same Lua script, same XADD/XREADGROUP, same SET/GET).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisBroker } from '../src/plugins/redis/broker.js';
import { redisCache } from '../src/plugins/redis/cache.js';
import { redisEvents, redisStore, redisSync } from '../src/plugins/redis/index.js';
import { dropPrefix } from '../src/plugins/redis/test-helpers.js';
import type { Operation, Section } from './_plugins-kit.js';
import { deliveries, unique } from './_plugins-kit.js';

const value = new Uint8Array(64).fill(7);

export const redisSection: Section = {
  backend: 'redis',
  async setup(url) {
    const prefix = unique('redis');
    const raw = new Redis(url);
    const reader = new Redis(url);
    const store = redisStore({ url, prefix, database: 'bench', table: 'kv' });
    const cache = redisCache({ url, prefix });
    const sync = redisSync({ url, prefix, holder: 'bench' });
    const broker = redisBroker({ url, prefix });
    const events = redisEvents({ url, prefix });
    const publishLua = String(await raw.script('LOAD', PUBLISH_EQUIVALENT));

    // The raw store write: the same Lua script the driver runs, loaded by hand.
    const storeLua = String(await raw.script('LOAD', PUT_EQUIVALENT));
    const lockLua = String(await raw.script('LOAD', ACQUIRE_EQUIVALENT));
    const unlockLua = String(await raw.script('LOAD', RELEASE_EQUIVALENT));
    const recordKey = (k: number) => `${prefix}:raw:store:k:${k}`;
    let n = 0;
    await store.write({ key: 'read-me', value });
    await raw.hset(recordKey(-1), { value: Buffer.from(value), metadata: '{}', revision: 1 });

    // Broker: ours delivers to a handler; raw is a hand-written XREADGROUP NOACK loop.
    // A delivery may overtake the publish's reply: remember early arrivals.
    const { delivered, arrival } = deliveries();
    await broker.subscribe('bench', (message) => delivered(message.id));
    const rawStream = `${prefix}:raw:broker`;
    await raw.xgroup('CREATE', rawStream, 'g', '$', 'MKSTREAM');
    let reading = true;
    const rawLoop = (async () => {
      while (reading) {
        const reply = (await reader
          .xreadgroup('GROUP', 'g', 'c', 'COUNT', 10, 'BLOCK', 100, 'NOACK', 'STREAMS', rawStream, '>')
          .catch(() => null)) as [string, [string, string[]][]][] | null;
        for (const [, entries] of reply ?? []) for (const [, fields] of entries) delivered(fields[1]!);
      }
    })();

    const operations: Operation[] = [
      {
        name: 'redis store.write',
        raw: 'EVALSHA of the same CAS script',
        runOurs: () => store.write({ key: `k${n++ % 1000}`, value }),
        runRaw: () =>
          raw.evalsha(storeLua, 2, recordKey(n++ % 1000), `${prefix}:raw:store:revision`, '', Buffer.from(value), '{}'),
      },
      {
        name: 'redis store.read',
        raw: 'HMGET of the same hash',
        runOurs: () => store.read('read-me'),
        runRaw: () => raw.hmgetBuffer(recordKey(-1), 'value', 'metadata', 'revision', 'expiresAt'),
      },
      {
        name: 'redis cache.set',
        raw: 'SET … PX',
        runOurs: () => cache.set(`c${n++ % 1000}`, { id: n, ok: true }, { ttlMs: 60_000 }),
        runRaw: () => raw.set(`${prefix}:raw:cache:${n++ % 1000}`, JSON.stringify({ id: n, ok: true }), 'PX', 60_000),
      },
      {
        name: 'redis cache.get',
        raw: 'GET + JSON.parse',
        runOurs: () => cache.get('c1'),
        runRaw: async () => JSON.parse((await raw.get(`${prefix}:raw:cache:1`)) ?? 'null'),
      },
      {
        name: 'redis lock acquire+release',
        raw: 'EVALSHA acquire + EVALSHA release',
        runOurs: async () => {
          const result = await sync.lock(`l${n++}`, { ttlMs: 10_000 });
          if (result.type === 'acquired') await result.lease.release();
        },
        runRaw: async () => {
          const key = `${prefix}:raw:sync:l${n++}`;
          const token = await raw.evalsha(lockLua, 2, key, `${key}:token`, 'bench', 10_000);
          await raw.evalsha(unlockLua, 1, key, String(token));
        },
      },
      {
        name: 'redis broker publish→deliver',
        raw: 'XADD + XREADGROUP NOACK loop',
        runOurs: async () => {
          await arrival(await broker.publish('bench', value));
        },
        runRaw: async () => {
          const id = randomUUID();
          await raw.xadd(rawStream, 'MAXLEN', '~', 10_000, '*', 'id', id, 'h', '{}', 'b', Buffer.from(value));
          await arrival(id);
        },
      },
      {
        name: 'redis events.publish',
        raw: 'EVALSHA of the same offset+XADD script',
        runOurs: () => events.publish('bench', value, { headers: { kind: 'bench' } }),
        runRaw: () =>
          raw.evalsha(
            publishLua,
            2,
            `${prefix}:raw:events`,
            `${prefix}:raw:events:offset`,
            randomUUID(),
            JSON.stringify({ kind: 'bench' }),
            Buffer.from(value),
          ),
      },
    ];

    return {
      operations,
      async teardown() {
        reading = false;
        await rawLoop;
        await Promise.all([store.close(), cache.close(), sync.close(), broker.close(), events.close()]);
        raw.disconnect();
        reader.disconnect();
        await dropPrefix(url, prefix);
      },
    };
  },
};

const PUT_EQUIVALENT = `
local current = redis.call('HMGET', KEYS[1], 'value', 'metadata', 'revision', 'expiresAt')
if ARGV[1] ~= '' and tonumber(current[3] or '0') ~= tonumber(ARGV[1]) then return {'conflict'} end
local revision = redis.call('INCR', KEYS[2])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'value', ARGV[2], 'metadata', ARGV[3], 'revision', revision)
return {'ok', revision}`;

const ACQUIRE_EQUIVALENT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local token = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'token', token)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return token`;

const RELEASE_EQUIVALENT = `
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`;

const PUBLISH_EQUIVALENT = `
local offset = redis.call('INCR', KEYS[2])
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('XADD', KEYS[1], offset .. '-0', 'id', ARGV[1], 'h', ARGV[2], 'b', ARGV[3], 't', ms)
return {offset, ms}`;
