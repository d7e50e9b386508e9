/**
 * Plan a workload from the seed: each generator draws its arrival times and keys from its own
 * named stream (`workload/<i>:<op>`), so adding a generator leaves the others' plans alone. The
 * plan is a plain list of operations — what the runner replays and the shrinker cuts.
 *
 * Writes (`put`, `write`, `set`, `append`) carry a `value` drawn from the seed (stream
 * `workload/<i>:<op>/values`, so arrivals and keys do not move), distinct across the run, which
 * is what lets a history of a kv-like system be checked for linearizability and lost writes.
 */
import { createRandom, type RandomStream } from '../sim/random.js';
import type { WorkloadSpec } from './schema.js';
import type { WorkloadOp } from './workload-types.js';

/** Operations that get a distinct seed-drawn `value`. */
export const VALUE_OPS: ReadonlySet<string> = new Set(['put', 'write', 'set', 'append']);

export function planWorkload(specs: readonly WorkloadSpec[], seed: number, durationMs: number): WorkloadOp[] {
  const root = createRandom(seed).fork('workload');
  const planned: { at: number; order: number; op: Omit<WorkloadOp, 'id' | 'at'> }[] = [];
  specs.forEach((spec, index) => {
    if (spec.rate <= 0) return;
    const stream = root.fork(`${index}:${spec.op}`);
    const pickKey = keyPicker(spec, stream);
    const values = VALUE_OPS.has(spec.op) ? stream.fork('values') : undefined;
    let written = 0;
    const from = spec.from ?? 0;
    const until = Math.min(spec.until ?? durationMs, durationMs);
    const meanGap = 1000 / spec.rate;
    let t = from + (spec.arrival === 'fixed' ? 0 : exponential(stream, meanGap));
    while (t < until) {
      planned.push({
        at: Math.floor(t),
        order: index,
        op: {
          op: spec.op,
          key: pickKey(),
          ...(values === undefined ? {} : { value: `${index}.${written++}-${values.int(0, 1 << 30).toString(36)}` }),
          ...(spec.args === undefined ? {} : { args: spec.args }),
        },
      });
      t += spec.arrival === 'fixed' ? meanGap : exponential(stream, meanGap);
    }
  });
  planned.sort((a, b) => a.at - b.at || a.order - b.order);
  return planned.map((p, id) => ({ id, at: p.at, ...p.op }));
}

function exponential(stream: RandomStream, mean: number): number {
  return -Math.log(1 - stream.next()) * mean;
}

function keyPicker(spec: WorkloadSpec, stream: RandomStream): () => string {
  const { count, prefix } = spec.keys;
  const name = (i: number) => `${prefix}${i}`;
  switch (spec.keys.distribution) {
    case 'uniform':
      return () => name(stream.int(0, count));
    case 'hot':
      return () => (count === 1 || stream.chance(spec.keys.hot) ? name(0) : name(stream.int(1, count)));
    case 'zipf': {
      const cumulative: number[] = [];
      let total = 0;
      for (let rank = 1; rank <= count; rank++) cumulative.push((total += 1 / rank));
      return () => {
        const u = stream.next() * total;
        const index = cumulative.findIndex((c) => u < c);
        return name(index === -1 ? count - 1 : index);
      };
    }
    default: {
      const never: never = spec.keys.distribution;
      throw new Error(`unknown key distribution ${String(never)}`);
    }
  }
}
