/**
 * Registry convergence: after churn (instances coming up or going down), every observer's
 * view of the service matches the truth within a bound. Judged only for quiet windows —
 * churn followed by at least `withinMs` without further churn of that service, closed
 * before the run ended.
 */
import { endOf, OK, ofType, requirePositive, type StructuredEvent, type TraceInvariant, violated } from './types.js';

/** The truth: an instance of `service` started (and registered) or stopped (crashed, deregistered). */
export interface InstanceChange extends StructuredEvent {
  readonly type: 'instance-up' | 'instance-down';
  readonly service: string;
  readonly node: string;
}

/** What an observer (a client's selector, a registry replica) saw for `service`. */
export interface RegistryView extends StructuredEvent {
  readonly type: 'registry-view';
  readonly observer: string;
  readonly service: string;
  readonly nodes: readonly string[];
}

export interface ConvergenceOptions {
  /** The bound, in virtual ms. */
  readonly withinMs: number;
  /** Observers that must converge. Default: every observer that ever viewed the service. */
  readonly observers?: readonly string[];
}

const key = (nodes: Iterable<string>) => [...nodes].sort().join(',');

export function registryConverges(options: ConvergenceOptions): TraceInvariant {
  const bound = requirePositive('registryConverges(withinMs)', options.withinMs);
  const name = `registry converges within ${bound} ms after churn`;
  return {
    name,
    check(events) {
      const end = endOf(events);
      const changes = events.filter((e): e is InstanceChange => e.type === 'instance-up' || e.type === 'instance-down');
      const views = ofType<RegistryView>(events, 'registry-view');
      const truth = new Map<string, Set<string>>();
      for (let i = 0; i < changes.length; i++) {
        const change = changes[i] as InstanceChange;
        const nodes = truth.get(change.service) ?? new Set<string>();
        if (change.type === 'instance-up') nodes.add(change.node);
        else nodes.delete(change.node);
        truth.set(change.service, nodes);
        const next = changes.slice(i + 1).find((c) => c.service === change.service);
        const deadline = change.time + bound;
        if ((next && next.time < deadline) || deadline > end) continue; // not a quiet, closed window
        const expected = key(nodes);
        const ofService = views.filter((v) => v.service === change.service);
        const observers = options.observers ?? [...new Set(ofService.map((v) => v.observer))];
        for (const observer of observers) {
          const latest = ofService.filter((v) => v.observer === observer && v.time <= deadline).at(-1);
          if (!latest || key(latest.nodes) !== expected) {
            const saw = latest ? `[${key(latest.nodes)}] (t=${latest.time})` : 'nothing';
            return violated(
              name,
              `${observer} still saw ${saw} for ${change.service} at t=${deadline}, ${bound} ms after ${change.type} ${change.node}; truth: [${expected}]`,
              latest ? [change, latest] : [change],
            );
          }
        }
      }
      return OK;
    },
  };
}
