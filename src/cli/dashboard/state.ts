/** What the dashboard shows, gathered on request: the registry with each node's health, and the reports folder. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '../../micro/client/types.js';
import { isMicroError } from '../../micro/errors.js';
import { HEALTH_ENDPOINT, type HealthReply } from '../../micro/health/types.js';
import type { Registry } from '../../micro/registry/types.js';
import { reportBaseName } from '../../scenarios/replay-command.js';

export interface DashboardNode {
  readonly id: string;
  readonly address: string;
  readonly health:
    | { readonly type: 'serving'; readonly reply: HealthReply }
    | { readonly type: 'failing'; readonly error: string };
}

export interface DashboardState {
  readonly services: readonly { name: string; version: string; endpoints: string[]; nodes: DashboardNode[] }[];
  readonly calls: readonly {
    service: string;
    node: string;
    endpoint: string;
    at: number;
    ms: number;
    error?: string;
  }[];
  readonly runs: readonly {
    scenario: string;
    seed: number;
    passed: boolean;
    violated: string[];
    replay: string;
    report?: string;
  }[];
}

export async function dashboardState(
  registry: Registry,
  client: Client,
  reportsDir: string | undefined,
): Promise<DashboardState> {
  const listed = (await registry.listServices()).sort(
    (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
  );
  const services = await Promise.all(
    listed.map(async (s) => ({
      name: s.name,
      version: s.version,
      endpoints: s.endpoints.map((e) => e.name),
      nodes: await Promise.all(
        s.nodes.map(async (node): Promise<DashboardNode> => {
          try {
            const reply = await client.call<HealthReply>(
              s.name,
              HEALTH_ENDPOINT,
              {},
              { address: node.address, timeoutMs: 1_000, retries: 0 },
            );
            return { id: node.id, address: node.address, health: { type: 'serving', reply } };
          } catch (error) {
            const detail = isMicroError(error) ? `${error.code}: ${error.detail}` : String(error);
            return { id: node.id, address: node.address, health: { type: 'failing', error: detail } };
          }
        }),
      ),
    })),
  );
  const calls = services
    .flatMap((s) =>
      s.nodes.flatMap((n) =>
        n.health.type === 'serving'
          ? n.health.reply.recent.map((call) => ({ service: s.name, node: n.id, ...call }))
          : [],
      ),
    )
    .sort((a, b) => b.at - a.at)
    .slice(0, 50);
  return { services, calls, runs: readRuns(reportsDir) };
}

function readRuns(dir: string | undefined): DashboardState['runs'] {
  const file = dir === undefined ? undefined : join(dir, 'summary.json');
  if (file === undefined || !existsSync(file)) return [];
  const summary = JSON.parse(readFileSync(file, 'utf8')) as {
    results?: { scenario: string; seed: number; verdict: string; violated?: string[]; replay: string }[];
  };
  return (summary.results ?? []).map((r) => {
    const report = `${reportBaseName(r.scenario, r.seed)}.html`;
    return {
      scenario: r.scenario,
      seed: r.seed,
      passed: r.verdict === 'passed',
      violated: r.violated ?? [],
      replay: r.replay,
      ...(existsSync(join(dir ?? '', report)) ? { report } : {}),
    };
  });
}
