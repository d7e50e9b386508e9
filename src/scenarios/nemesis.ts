/**
 * The nemesis: draws a concrete fault schedule from the seed (stream `nemesis`) before the run —
 * faults at exponential gaps, each on a target drawn from the system's nodes, each undone after
 * `lasting`. `churn` runs beside them on a schedule of its own (stream `nemesis/churn`, so adding
 * it moves no other draw): restarts onto new addresses (`churn.ts`). Being a plain list, the
 * schedule replays, shrinks and reports like a written one.
 */
import { createRandom } from '../sim/random.js';
import { planChurn } from './churn.js';
import { gap, pick } from './draw.js';
import type { FaultEvent } from './faults.js';
import type { NemesisSpec } from './schema.js';

export function planNemesis(
  spec: NemesisSpec,
  seed: number,
  durationMs: number,
  services: Readonly<Record<string, readonly string[]>>,
): FaultEvent[] {
  const stream = createRandom(seed).fork('nemesis');
  const targets = (spec.targets ?? Object.keys(services)).flatMap((t) => services[t] ?? [t]);
  if (targets.length === 0) return [];
  const stores = (spec.stores ?? ['store']).flatMap((t) => services[t] ?? (spec.stores ? [t] : []));
  const faults: FaultEvent[] = [];
  const until = Math.min(spec.until ?? durationMs, durationMs);
  const kinds = spec.faults.filter((kind) => kind !== 'churn');
  const spacing = spec.lasting ?? 0;
  let t = kinds.length === 0 ? until : (spec.from ?? 0) + gap(stream, spec.every);
  while (t < until) {
    const kind = pick(stream, kinds);
    const node = pick(stream, targets);
    const at = Math.floor(t);
    const lasting = Math.min(spacing, Math.max(1, durationMs - at));
    switch (kind) {
      case 'partition':
        faults.push({ type: 'isolate', node, at, for: lasting });
        break;
      case 'crash':
      case 'pause':
        faults.push({ type: kind, node, at, for: lasting });
        break;
      case 'skew':
        faults.push({
          type: 'skew',
          node,
          ms: (stream.chance(0.5) ? 1 : -1) * stream.int(500, 10_000),
          at,
          for: lasting,
        });
        break;
      case 'loss':
        faults.push({ type: 'loss', from: '*', to: node, p: Math.round(stream.int(20, 80)) / 100, at, for: lasting });
        break;
      case 'lag': {
        // Drawn even without a store, so adding `lag` to a list moves no other draw.
        const ms = stream.int(100, 2_000);
        const store = stores.length === 0 ? undefined : (stores[stream.int(0, stores.length)] as string);
        if (store !== undefined) faults.push({ type: 'lag', node: store, ms, at, for: lasting });
        break;
      }
      case 'latency':
        faults.push({
          type: 'latency',
          from: '*',
          to: node,
          latency: { type: 'uniform', min: 20, max: stream.int(50, 500) },
          at,
          for: lasting,
        });
        break;
      default: {
        const never: never = kind;
        throw new Error(`unknown nemesis fault ${String(never)}`);
      }
    }
    t += spacing + gap(stream, spec.every);
  }
  if (!spec.faults.includes('churn')) return faults;
  const churn = planChurn(createRandom(seed).fork('nemesis').fork('churn'), {
    every: spec.churn?.every ?? spec.every,
    ...(spec.churn?.probability === undefined ? {} : { probability: spec.churn.probability }),
    from: spec.from ?? 0,
    until,
    targets,
  });
  return [...faults, ...churn].sort((a, b) => a.at - b.at);
}
