/**
 * The scenario schema (zod): what a YAML file — or a TypeScript `defineScenario` — may say, with
 * durations (`10s`), rates (`20/s`) and one-line faults (`at 10s crash payments-1`) turned into
 * numbers and {@link FaultEvent}s. Messages say what was expected, for humans reading a CI log.
 */
import { z } from 'zod';
import { parseFaultText } from './fault-text.js';
import { FAULT_TYPES, type FaultEvent, type FaultType } from './faults.js';
import { parseDuration, parseRate } from './units.js';

export const duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a duration like 10s, 250ms or 2m (or milliseconds), got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return ms;
});

const rate = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const perSecond = parseRate(value);
  if (perSecond === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a rate like 20/s or 600/m (or a number per second), got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return perSecond;
});

const name = z.string().min(1, 'expected a non-empty name');
const names = z.array(name).min(1, 'expected at least one node or service');
const probability = z.number().min(0, 'expected a probability in 0..1').max(1, 'expected a probability in 0..1');

const latencyDistribution = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('constant'), ms: z.number().min(0) }),
  z.strictObject({ type: z.literal('uniform'), min: z.number().min(0), max: z.number().min(0) }),
  z.strictObject({ type: z.literal('normal'), mean: z.number().min(0), stddev: z.number().min(0) }),
  z.strictObject({ type: z.literal('pareto'), scale: z.number().positive(), shape: z.number().positive() }),
]);

const trigger = z.strictObject({ record: name, node: name, count: z.number().int().positive().optional() });
const timing = { at: duration, for: duration.optional(), on: trigger.optional() };
const link = { from: name, to: name };

const faultObject = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('partition'), a: names, b: names, ...timing }),
  z.strictObject({ type: z.literal('partition-one-way'), from: names, to: names, ...timing }),
  z.strictObject({ type: z.literal('isolate'), node: name, ...timing }),
  z.strictObject({ type: z.literal('heal'), ...timing }),
  z.strictObject({ type: z.literal('crash'), node: name, ...timing }),
  z.strictObject({ type: z.literal('restart'), node: name, newAddress: z.boolean().optional(), ...timing }),
  z.strictObject({ type: z.literal('pause'), node: name, ...timing }),
  z.strictObject({ type: z.literal('resume'), node: name, ...timing }),
  z.strictObject({ type: z.literal('skew'), node: name, ms: z.number(), ...timing }),
  z.strictObject({ type: z.literal('lag'), node: name, ms: duration, ...timing }),
  z.strictObject({ type: z.literal('latency'), ...link, latency: latencyDistribution, ...timing }),
  z.strictObject({ type: z.literal('loss'), ...link, p: probability, ...timing }),
  z.strictObject({ type: z.literal('duplicate'), ...link, p: probability, ...timing }),
  z.strictObject({ type: z.literal('reorder'), ...link, p: probability, ...timing }),
]);

/** A fault: `at 10s pause inventory-1 for 3s`, or the object form `{ at, type, …, for }`. */
export const faultSchema = z.unknown().transform((value, ctx): FaultEvent => {
  if (typeof value === 'string') {
    const parsed = parseFaultText(value);
    if ('fault' in parsed) return parsed.fault;
    ctx.addIssue({ code: 'custom', message: `expected ${parsed.error}` });
    return z.NEVER;
  }
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof value !== 'object' || value === null || !FAULT_TYPES.includes(type as FaultType)) {
    ctx.addIssue({
      code: 'custom',
      message:
        typeof value === 'object' && value !== null
          ? `expected type to be one of ${FAULT_TYPES.join(', ')}, got ${JSON.stringify(type)}`
          : `expected a fault line like "at 10s crash payments-1 for 2s" or an object { at, type, … }, got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  const parsed = faultObject.safeParse(value);
  if (parsed.success) return dropUndefined(parsed.data) as FaultEvent;
  for (const issue of parsed.error.issues)
    ctx.addIssue({ code: 'custom', message: expected(issue.message), path: issue.path as PropertyKey[] });
  return z.NEVER;
});

function expected(message: string): string {
  return message.startsWith('expected') ? message : `expected ${message.replace(/^Invalid input: expected /, '')}`;
}

const keys = z.strictObject({
  /** How many distinct keys. Default 10. */
  count: z.number().int().positive().default(10),
  /** uniform; zipf (rank r with weight 1/r); hot (a `hot` share of ops on key 0). Default uniform. */
  distribution: z.enum(['uniform', 'zipf', 'hot']).default('uniform'),
  hot: probability.default(0.8),
  prefix: z.string().default('key-'),
});

export const workloadSchema = z.strictObject({
  /** The operation the system exposes (`checkout`, `restock`, …). */
  op: name,
  rate,
  keys: keys.default({ count: 10, distribution: 'uniform', hot: 0.8, prefix: 'key-' }),
  /** poisson: exponential gaps; fixed: evenly spaced. Default poisson. */
  arrival: z.enum(['poisson', 'fixed']).default('poisson'),
  from: duration.optional(),
  until: duration.optional(),
  args: z.record(z.string(), z.unknown()).optional(),
});

export const NEMESIS_FAULTS = ['partition', 'crash', 'pause', 'skew', 'loss', 'latency', 'lag', 'churn'] as const;

const positiveDuration = duration.refine((ms) => ms > 0, 'expected a duration above 0, like 2s');

/** Options of the nemesis's `churn` (restarts onto new addresses, on a schedule of their own). */
export const churnSchema = z.strictObject({
  /** Mean gap between churn rounds (exponential). Default: the nemesis's `every`. */
  every: positiveDuration.optional(),
  /** Each target's chance to move in a round. Default: one target a round. */
  probability: z
    .number({ error: 'expected a probability in (0, 1]' })
    .gt(0, 'expected a probability in (0, 1]')
    .max(1, 'expected a probability in (0, 1]')
    .optional(),
});

export const nemesisSchema = z
  .strictObject({
    /** Which kinds of fault to draw. */
    faults: z.array(z.enum(NEMESIS_FAULTS)).min(1, 'expected at least one fault kind'),
    /** Mean gap between faults (above 0: a zero gap would draw faults at one instant for ever). */
    every: positiveDuration,
    /** How long each fault lasts (not needed when `churn` is the only kind). */
    lasting: duration.optional(),
    /** Nodes or services to target. Default: every service. */
    targets: z.array(name).optional(),
    /** Store nodes or services a `lag` fault targets. Default: the service named `store`. */
    stores: z.array(name).optional(),
    /** Options of `churn` (only with `churn` in `faults`). */
    churn: churnSchema.optional(),
    from: duration.optional(),
    until: duration.optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.lasting === undefined && spec.faults.some((kind) => kind !== 'churn'))
      ctx.addIssue({ code: 'custom', message: 'expected lasting, a duration like 500ms', path: ['lasting'] });
    if (spec.churn !== undefined && !spec.faults.includes('churn'))
      ctx.addIssue({
        code: 'custom',
        message: 'expected churn in faults when churn options are given',
        path: ['churn'],
      });
  });

export const invariantRefSchema = z.union([
  name.transform((n) => ({ name: n, options: {} })),
  z.looseObject({ name }).transform(({ name: n, ...options }) => ({ name: n, options })),
]);

/** Everything in a scenario except the system itself (TS passes an object, YAML a module path). */
export const scenarioBodySchema = {
  name,
  description: z.string().optional(),
  workload: z.array(workloadSchema).default([]),
  faults: z.array(faultSchema).default([]),
  nemesis: nemesisSchema.optional(),
  invariants: z.array(invariantRefSchema).min(1, 'expected at least one invariant to check'),
  duration,
  /** A bug-hunt: passes when at least `min-seeds` (default 1) of the sweep's seeds violate `violated`. */
  expect: z
    .strictObject({
      violated: name,
      'min-seeds': z.number().int().positive('expected a positive number of seeds').optional(),
    })
    .transform(({ violated, 'min-seeds': minSeeds }) => ({
      violated,
      ...(minSeeds === undefined ? {} : { minSeeds }),
    }))
    .optional(),
  /** How many seeds `microcosm run` sweeps by default. */
  seeds: z.number().int().positive().optional(),
};

export const yamlScenarioSchema = z.strictObject({
  ...scenarioBodySchema,
  system: z.strictObject({
    /** Path of the module exporting the system definition, relative to the scenario file. */
    module: z.string().min(1, 'expected the path of a module exporting the system'),
    /** The export's name. Default: `system`, then the default export. */
    export: z.string().optional(),
    options: z.unknown().optional(),
  }),
});

export type YamlScenario = z.output<typeof yamlScenarioSchema>;
export type WorkloadSpec = z.output<typeof workloadSchema>;
export type NemesisSpec = z.output<typeof nemesisSchema>;
export type ChurnSpec = z.output<typeof churnSchema>;

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
