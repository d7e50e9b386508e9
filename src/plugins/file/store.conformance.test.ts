// storeConformance, unchanged, against the file store driver in a fresh temporary directory.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeConformance } from '../../conformance/store.js';
import { manualRuntime } from '../../conformance/support.js';
import { createStore } from '../../micro/store/store.js';
import { fileStoreDriver } from './store.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'microcosm-file-store-'));

storeConformance('file', async () => {
  const runtime = manualRuntime();
  const dir = freshDir();
  return {
    subject: createStore({ driver: await fileStoreDriver({ dir }), runtime }),
    advance: (ms) => runtime.advance(ms),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('file store durability', () => {
  it('keeps every acknowledged write, revisions included, across a reopen', async () => {
    const dir = freshDir();
    try {
      const first = createStore({ driver: await fileStoreDriver({ dir }) });
      const a = await first.write({ key: 'a', value: new Uint8Array([1]) });
      await first.withScope({ database: 'shop', table: 'orders' }).write({ key: 'o1', value: new Uint8Array([2]) });
      await first.delete('missing');
      // No close: the process "crashes" here.
      const second = createStore({ driver: await fileStoreDriver({ dir }) });
      expect((await second.read('a'))?.revision).toBe(a.type === 'ok' ? a.revision : -1);
      const orders = second.withScope({ database: 'shop', table: 'orders' });
      expect([...((await orders.read('o1'))?.value ?? [])]).toEqual([2]);
      const b = await second.write({ key: 'b', value: new Uint8Array([3]) });
      expect(b.type === 'ok' && a.type === 'ok' && b.revision > a.revision).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores a temporary file left by a crash mid-write, and leaves no temporary behind', async () => {
    const dir = freshDir();
    try {
      const store = createStore({ driver: await fileStoreDriver({ dir }) });
      await store.write({ key: 'k', value: new Uint8Array([7]) });
      writeFileSync(join(dir, 'micro', 'micro.json.tmp'), '{"torn'); // a crash between write and rename
      const reopened = createStore({ driver: await fileStoreDriver({ dir }) });
      expect([...((await reopened.read('k'))?.value ?? [])]).toEqual([7]);
      await reopened.write({ key: 'k', value: new Uint8Array([8]) });
      expect(readdirSync(join(dir, 'micro'))).toEqual(['micro.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a corrupt data file instead of starting empty', async () => {
    const dir = freshDir();
    try {
      const store = createStore({ driver: await fileStoreDriver({ dir }) });
      await store.write({ key: 'k', value: new Uint8Array([1]) });
      writeFileSync(join(dir, 'micro', 'micro.json'), 'garbage');
      await expect(fileStoreDriver({ dir })).rejects.toThrow(/micro\.json is unreadable/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
