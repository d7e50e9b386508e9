/** The built-in models, by the names `microcosm check --model` accepts. */
import { counter } from './counter.js';
import { kv } from './kv.js';
import { mutex } from './mutex.js';
import { queue } from './queue.js';
import { register } from './register.js';
import { set } from './set.js';

export * from './model.js';
export { counter, kv, mutex, queue, register, set };

export const MODELS = { register, kv, counter, queue, set, mutex } as const;

export type ModelName = keyof typeof MODELS;

export function isModelName(name: string): name is ModelName {
  return Object.hasOwn(MODELS, name);
}
