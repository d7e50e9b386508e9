import { describe, expect, it } from 'vitest';
import { registryConverges } from './registry.js';

const up = (time: number, node: string) => ({ type: 'instance-up', time, service: 'orders', node });
const down = (time: number, node: string) => ({ type: 'instance-down', time, service: 'orders', node });
const view = (time: number, observer: string, nodes: string[]) => ({
  type: 'registry-view',
  time,
  observer,
  service: 'orders',
  nodes,
});

describe('registry converges within a bound after churn', () => {
  it('holds when every observer catches up in time', () => {
    const trace = [
      up(0, 'o1'),
      up(0, 'o2'),
      view(5, 'gw', ['o1', 'o2']),
      down(100, 'o2'),
      view(130, 'gw', ['o1']),
      { type: 'run-ended', time: 500 },
    ];
    expect(registryConverges({ withinMs: 50 }).check(trace).type).toBe('ok');
  });

  it('is violated by an observer still routing to a dead instance', () => {
    const trace = [
      up(0, 'o1'),
      up(0, 'o2'),
      view(5, 'gw', ['o1', 'o2']),
      down(100, 'o2'),
      view(180, 'gw', ['o1']),
      { type: 'run-ended', time: 500 },
    ];
    const verdict = registryConverges({ withinMs: 50 }).check(trace);
    expect(verdict.type).toBe('violated');
    if (verdict.type === 'violated') {
      expect(verdict.message).toBe(
        'gw still saw [o1,o2] (t=5) for orders at t=150, 50 ms after instance-down o2; truth: [o1]',
      );
    }
  });

  it('does not judge churn that keeps going, or a window still open at the end', () => {
    const trace = [up(0, 'o1'), view(1, 'gw', []), up(10, 'o2'), view(12, 'gw', ['o1', 'o2']), up(400, 'o3')];
    expect(registryConverges({ withinMs: 50 }).check(trace).type).toBe('ok');
  });
});
