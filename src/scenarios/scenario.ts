/**
 * The scenario model: a system, a workload, a fault schedule (or a nemesis), invariants and a
 * virtual duration. `defineScenario` is the TypeScript form; YAML files load into the same
 * {@link Scenario} through the same schema (see `yaml.ts`).
 */
import { z } from 'zod';
import type { FaultEvent } from './faults.js';
import type { InvariantRef } from './invariant.js';
import { ScenarioError } from './scenario-error.js';
import { type NemesisSpec, scenarioBodySchema, type WorkloadSpec } from './schema.js';
import type { SystemDefinition } from './system.js';

/** Seeds `microcosm run` sweeps for a scenario that does not say. */
export const DEFAULT_SEEDS = 8;

/** A validated scenario, complete: every default filled in, every duration in virtual ms. */
export interface Scenario {
  readonly name: string;
  readonly description?: string;
  // biome-ignore lint/suspicious/noExplicitAny: a scenario holds a system of any option type
  readonly system: SystemDefinition<any>;
  readonly systemOptions: unknown;
  readonly workload: readonly WorkloadSpec[];
  readonly faults: readonly FaultEvent[];
  readonly nemesis?: NemesisSpec;
  readonly invariants: readonly InvariantRef[];
  readonly durationMs: number;
  readonly expect?: { readonly violated: string; readonly minSeeds?: number };
  readonly seeds: number;
}

const bodySchema = z.strictObject(scenarioBodySchema);

/** What `defineScenario` takes: durations as `'10s'` or ms, faults as lines or objects. */
export type ScenarioInput<Options> = z.input<typeof bodySchema> & {
  readonly system: SystemDefinition<Options>;
  /** The system's knobs (validated by the system's `parseOptions`). */
  readonly options?: Options;
};

/** Validate a TypeScript scenario eagerly; throws a {@link ScenarioError} naming the bad field. */
export function defineScenario<Options>(input: ScenarioInput<Options>): Scenario {
  const { system, options, ...body } = input;
  if (typeof system?.build !== 'function')
    throw new ScenarioError('expected a system definition with a build(sim, options) function', { path: ['system'] });
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScenarioError(issue?.message ?? 'invalid scenario', { path: issue?.path ?? [] });
  }
  return fromParsed(parsed.data, system, options);
}

/** Assemble a Scenario from schema output and a system (shared by the TS and YAML paths). */
export function fromParsed(
  data: z.output<typeof bodySchema>,
  // biome-ignore lint/suspicious/noExplicitAny: see Scenario.system
  system: SystemDefinition<any>,
  rawOptions: unknown,
): Scenario {
  let systemOptions: unknown;
  try {
    systemOptions = system.parseOptions ? system.parseOptions(rawOptions ?? {}) : rawOptions;
  } catch (error) {
    throw new ScenarioError(error instanceof Error ? error.message : String(error), { path: ['system', 'options'] });
  }
  for (const [i, fault] of data.faults.entries())
    if (fault.at > data.duration)
      throw new ScenarioError(`expected a time within the duration (${data.duration}ms), got ${fault.at}ms`, {
        path: ['faults', i],
      });
  return {
    name: data.name,
    ...(data.description === undefined ? {} : { description: data.description }),
    system,
    systemOptions,
    workload: data.workload,
    faults: data.faults,
    ...(data.nemesis === undefined ? {} : { nemesis: data.nemesis }),
    invariants: data.invariants,
    durationMs: data.duration,
    ...(data.expect === undefined ? {} : { expect: data.expect }),
    seeds: data.seeds ?? DEFAULT_SEEDS,
  };
}
