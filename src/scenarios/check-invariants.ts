/**
 * Resolve a scenario's invariants (the system's own first, then the built-in ones) and check each
 * against the run's observation. An unknown name is an error naming the ones available.
 */
import { BUILTIN_INVARIANTS } from './builtin-invariants.js';
import type { Observation } from './invariant.js';
import type { InvariantVerdict } from './result.js';
import type { Scenario } from './scenario.js';
import type { BuiltSystem } from './system.js';

export async function checkInvariants(
  scenario: Scenario,
  system: BuiltSystem,
  observation: Observation,
): Promise<InvariantVerdict[]> {
  const available = { ...BUILTIN_INVARIANTS, ...(system.invariants ?? {}) };
  const verdicts: InvariantVerdict[] = [];
  for (const ref of scenario.invariants) {
    const factory = available[ref.name];
    if (factory === undefined)
      throw new Error(
        `scenario "${scenario.name}": unknown invariant "${ref.name}"; available: ${Object.keys(available).sort().join(', ')}`,
      );
    const findings = await factory(ref.options).check(observation);
    verdicts.push({
      invariant: ref.name,
      holds: findings.length === 0,
      violations: findings.map((f) => ({ invariant: ref.name, ...f })),
    });
  }
  return verdicts;
}
