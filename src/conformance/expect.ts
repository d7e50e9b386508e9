/**
 * Small assertions shared by the messaging suites (broker, events, sync): errors by code, and
 * waiting for a condition while time passes (virtually or for real).
 */
import { expect } from 'vitest';
import { type ErrorCode, isMicroError } from '../micro/errors.js';

/** Assert that `promise` rejects with a MicroError of `code` whose detail mentions every word. */
export async function expectMicroError(promise: Promise<unknown>, code: ErrorCode, ...words: string[]): Promise<void> {
  const error = await promise.then(
    (value) => ({ resolved: value }),
    (thrown: unknown) => thrown,
  );
  expect(isMicroError(error), `expected a ${code} MicroError, got ${JSON.stringify(error)}`).toBe(true);
  if (!isMicroError(error)) return;
  expect(error.code).toBe(code);
  for (const word of words) expect(error.detail).toContain(word);
}

/**
 * Let time pass in `stepMs` steps until `condition` holds; fail naming `what` after `limitMs`.
 * `pass` is the harness's way to let time pass (virtual or real).
 */
export async function until(
  pass: (ms: number) => Promise<void>,
  condition: () => boolean,
  what: string,
  { stepMs = 10, limitMs = 5_000 } = {},
): Promise<void> {
  for (let waited = 0; !condition(); waited += stepMs) {
    if (waited >= limitMs) throw new Error(`still waiting after ${limitMs} ms for ${what}`);
    await pass(stepMs);
  }
}
