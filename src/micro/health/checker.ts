/**
 * Active health checks: every `intervalMs`, call `Health.Check` on each registered node (directly
 * by address, no retries). `threshold` failures in a row make a node unhealthy: it is
 * deregistered (unless `deregister: false`) and {@link healthySelector} skips it; one success makes
 * it healthy again. Passes never overlap; a pass that finds a node gone forgets it.
 */
import type { Client } from '../client/types.js';
import { toMicroError } from '../errors.js';
import type { Logger } from '../logger/types.js';
import type { Registry, Service, ServiceNode } from '../registry/types.js';
import type { Runtime, TimerHandle } from '../runtime.js';
import { HEALTH_ENDPOINT, type HealthReply, type NodeHealth } from './types.js';

export interface HealthCheckOptions {
  readonly registry: Registry; // required
  readonly client: Client; // required
  readonly runtime: Runtime; // required
  readonly intervalMs?: number; // default: DEFAULT_HEALTH_INTERVAL_MS
  readonly threshold?: number; // default: DEFAULT_HEALTH_THRESHOLD
  readonly timeoutMs?: number; // default: DEFAULT_HEALTH_TIMEOUT_MS
  /** Only these services. Default: every service the registry lists. */
  readonly services?: readonly string[];
  /** Deregister a node once it is unhealthy. Default: true. */
  readonly deregister?: boolean;
  readonly logger?: Logger;
}

export const DEFAULT_HEALTH_INTERVAL_MS = 1_000;
export const DEFAULT_HEALTH_THRESHOLD = 3;
export const DEFAULT_HEALTH_TIMEOUT_MS = 500;

export interface NodeStatus {
  readonly service: string;
  readonly version: string;
  readonly node: ServiceNode;
  readonly health: NodeHealth;
}

export interface HealthChecker {
  /** Run one pass now (also what the interval runs). */
  check(): Promise<readonly NodeStatus[]>;
  /** False only for a node that reached the threshold and has not passed a check since. */
  isHealthy(nodeId: string): boolean;
  status(): readonly NodeStatus[];
  start(): void;
  stop(): void;
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(Number.isInteger(value) && value > 0))
    throw new TypeError(`healthChecker: ${name} must be a positive integer, got ${value}`);
  return value;
}

export function healthChecker(options: HealthCheckOptions): HealthChecker {
  const intervalMs = positiveInt('intervalMs', options.intervalMs, DEFAULT_HEALTH_INTERVAL_MS);
  const threshold = positiveInt('threshold', options.threshold, DEFAULT_HEALTH_THRESHOLD);
  const timeoutMs = positiveInt('timeoutMs', options.timeoutMs, DEFAULT_HEALTH_TIMEOUT_MS);
  const { registry, client, runtime } = options;
  const nodes = new Map<string, NodeStatus>();
  let timer: TimerHandle | undefined;
  let running: Promise<readonly NodeStatus[]> | undefined;

  async function checkNode(service: Service, node: ServiceNode): Promise<void> {
    const previous = nodes.get(node.id)?.health ?? { type: 'unknown' };
    const base = { service: service.name, version: service.version, node };
    try {
      const reply = await client.call<HealthReply>(
        service.name,
        HEALTH_ENDPOINT,
        {},
        { address: node.address, timeoutMs, retries: 0 },
      );
      nodes.set(node.id, { ...base, health: { type: 'healthy', checkedAt: runtime.clock.now(), reply } });
    } catch (error) {
      const failures = (previous.type === 'failing' || previous.type === 'unhealthy' ? previous.failures : 0) + 1;
      const type = failures >= threshold ? 'unhealthy' : 'failing';
      const detail = toMicroError(error);
      nodes.set(node.id, {
        ...base,
        health: { type, checkedAt: runtime.clock.now(), failures, error: `${detail.code}: ${detail.detail}` },
      });
      if (type === 'unhealthy' && (options.deregister ?? true)) {
        options.logger?.warn('health: deregistering an unhealthy node', {
          service: service.name,
          node: node.id,
          failures,
        });
        await registry.deregister({ ...service, nodes: [node] }).catch(() => {});
      }
    }
  }

  async function pass(): Promise<readonly NodeStatus[]> {
    const wanted = options.services;
    const services = wanted
      ? (await Promise.all(wanted.map((name) => registry.getService(name)))).flat()
      : await registry.listServices();
    const seen = new Set<string>();
    const checks: Promise<void>[] = [];
    for (const service of services)
      for (const node of service.nodes) {
        seen.add(node.id);
        checks.push(checkNode(service, node));
      }
    await Promise.all(checks);
    for (const [id, status] of nodes) if (!seen.has(id) && status.health.type !== 'unhealthy') nodes.delete(id);
    return [...nodes.values()];
  }

  const check = () => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    check,
    isHealthy: (id) => nodes.get(id)?.health.type !== 'unhealthy',
    status: () => [...nodes.values()],
    start() {
      timer ??= runtime.timers.setInterval(() => void check().catch(() => {}), intervalMs);
    },
    stop() {
      timer?.cancel();
      timer = undefined;
    },
  };
}
