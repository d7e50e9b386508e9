import { describe, expect, it } from 'vitest';
import { parseFaultText } from './fault-text.js';
import { planNemesis } from './nemesis.js';
import { nemesisSchema, workloadSchema } from './schema.js';
import { planWorkload } from './workload.js';

const workload = (spec: Record<string, unknown>) => workloadSchema.parse({ op: 'checkout', ...spec });

describe('planning a workload from the seed', () => {
  it('draws about `rate` operations per second, sorted by time, numbered in order', () => {
    const ops = planWorkload([workload({ rate: '50/s' })], 1, 10_000);
    expect(ops.length).toBeGreaterThan(400);
    expect(ops.length).toBeLessThan(600);
    expect(ops.map((o) => o.id)).toEqual(ops.map((_, i) => i));
    expect(ops.every((o, i) => i === 0 || o.at >= (ops[i - 1]?.at ?? 0))).toBe(true);
  });

  it('spaces fixed arrivals evenly inside their window', () => {
    const ops = planWorkload([workload({ rate: 10, arrival: 'fixed', from: '1s', until: '2s' })], 1, 5_000);
    expect(ops.map((o) => o.at)).toEqual([1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900]);
  });

  it('is the same plan for the same seed and a different one for another seed', () => {
    const specs = [workload({ rate: 20, keys: { count: 5 } })];
    expect(planWorkload(specs, 7, 5_000)).toEqual(planWorkload(specs, 7, 5_000));
    expect(planWorkload(specs, 8, 5_000)).not.toEqual(planWorkload(specs, 7, 5_000));
  });

  it('leaves one generator’s plan alone when another is added after it', () => {
    const first = workload({ rate: 20 });
    const alone = planWorkload([first], 3, 5_000).map((o) => o.at);
    const withOther = planWorkload([first, workload({ op: 'browse', rate: 30 })], 3, 5_000)
      .filter((o) => o.op === 'checkout')
      .map((o) => o.at);
    expect(withOther).toEqual(alone);
  });

  it('puts most operations on the first key under zipf and hot distributions', () => {
    for (const distribution of ['zipf', 'hot'] as const) {
      const ops = planWorkload([workload({ rate: 200, keys: { count: 10, distribution } })], 1, 10_000);
      const first = ops.filter((o) => o.key === 'key-0').length / ops.length;
      const last = ops.filter((o) => o.key === 'key-9').length / ops.length;
      expect(first, distribution).toBeGreaterThan(0.25);
      expect(last, distribution).toBeLessThan(0.1);
    }
  });
});

describe('the nemesis', () => {
  const spec = nemesisSchema.parse({ faults: ['crash', 'pause', 'partition'], every: '2s', lasting: '500ms' });
  const services = { orders: ['orders-1'], payments: ['payments-1', 'payments-2'] };

  it('draws a concrete schedule of undone faults on the system’s nodes from the seed', () => {
    const faults = planNemesis(spec, 1, 30_000, services);
    expect(faults.length).toBeGreaterThan(5);
    for (const fault of faults) {
      expect(['crash', 'pause', 'isolate']).toContain(fault.type);
      expect(fault.for).toBe(500);
      expect(['orders-1', 'payments-1', 'payments-2']).toContain((fault as { node: string }).node);
    }
    expect(planNemesis(spec, 1, 30_000, services)).toEqual(faults);
    expect(planNemesis(spec, 2, 30_000, services)).not.toEqual(faults);
  });
});

describe('one-line faults', () => {
  it('read the way people say them', () => {
    expect(parseFaultText('at 10s partition [orders, gateway] from [broker] for 5s')).toEqual({
      fault: { type: 'partition', a: ['orders', 'gateway'], b: ['broker'], at: 10_000, for: 5_000 },
    });
    expect(parseFaultText('at 1.5s skew @leader by -3s')).toEqual({
      fault: { type: 'skew', node: '@leader', ms: -3000, at: 1500 },
    });
    expect(parseFaultText('at 0ms latency * -> payments 200ms')).toEqual({
      fault: { type: 'latency', from: '*', to: 'payments', latency: { type: 'constant', ms: 200 }, at: 0 },
    });
  });

  it('say what was expected when they do not parse', () => {
    expect(parseFaultText('at soon crash x')).toEqual({ error: 'a time like 10s or 250ms after "at", got "soon"' });
    expect(parseFaultText('at 1s loss a -> b 7')).toMatchObject({
      error: expect.stringContaining('got "loss a -> b 7"'),
    });
  });
});
