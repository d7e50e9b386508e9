/**
 * Crash-safe replacement of a file: write a temporary file beside it, fsync it, rename it over
 * the target, fsync the directory. After a crash at any point the target holds either the old
 * bytes or the new ones, never a torn mix; a leftover temporary file is harmless (and removed
 * by the next write of the same target).
 */
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function atomicWrite(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.tmp`;
  const file = await open(temporary, 'w');
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** Make a rename (or a new file) in `directory` durable. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
