/**
 * The nemesis's `churn`: nodes restarted onto new addresses at seeded random times, as a rolling
 * deploy or an autoscaler reschedules pods — each restart is `restart X --new-address`, so what a
 * client or registry still holds of the old address is dead. Rounds come at exponential gaps
 * (mean `every`); in a round one target moves, or — with `probability` — each target moves with
 * that chance. Same stream, same schedule.
 */
import type { RandomStream } from '../sim/random.js';
import type { FaultEvent } from './faults.js';
import { gap, pick } from './draw.js';

export interface ChurnPlan {
  /** Mean gap between rounds, ms (> 0). */
  readonly every: number;
  /** Each target's chance to move in a round; absent: exactly one target a round. */
  readonly probability?: number;
  readonly from: number;
  readonly until: number;
  /** Nodes, in a stable order. */
  readonly targets: readonly string[];
}

export function planChurn(stream: RandomStream, plan: ChurnPlan): FaultEvent[] {
  const restarts: FaultEvent[] = [];
  if (plan.targets.length === 0 || !(plan.every > 0)) return restarts;
  for (let t = plan.from + gap(stream, plan.every); t < plan.until; t += gap(stream, plan.every)) {
    const at = Math.floor(t);
    const probability = plan.probability;
    const moving =
      probability === undefined ? [pick(stream, plan.targets)] : plan.targets.filter(() => stream.chance(probability));
    for (const node of moving) restarts.push({ type: 'restart', node, newAddress: true, at });
  }
  return restarts;
}
