/**
 * A Lua script run by its SHA1 (EVALSHA), loaded on first use or after a server restart
 * (NOSCRIPT) with EVAL. Replies come back as Buffers so binary values survive.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export type ScriptArg = string | number | Buffer;

export interface LuaScript {
  run(redis: Redis, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown>;
}

export function luaScript(source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    async run(redis, keys, args) {
      try {
        return await redis.callBuffer('EVALSHA', sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
        return await redis.callBuffer('EVAL', source, keys.length, ...keys, ...args);
      }
    },
  };
}

/** Redis glob-escape: `*`, `?`, `[`, `]` and `\` match themselves. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
