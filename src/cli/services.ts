/**
 * The service commands over a real registry and transport: `services`, `describe SERVICE`,
 * `call SERVICE Endpoint.Method [JSON]`, `publish TOPIC [JSON]`, `register SERVICE --address A`,
 * `deregister SERVICE --node ID`, `health SERVICE`. Arguments are checked before anything
 * connects (exit 2); a failed call or an unhealthy node is exit 1.
 */
import { isMicroError } from '../micro/errors.js';
import { HEALTH_ENDPOINT, type HealthReply } from '../micro/health/types.js';
import type { Service } from '../micro/registry/types.js';
import { BACKEND_OPTIONS, BACKEND_USAGE, backendUrl, jsonArg, parseStrict, prefixOf } from './backend-args.js';
import { connect } from './connect.js';
import { table } from './format.js';
import { type CliIo, UsageError } from './io.js';

export const SERVICE_COMMANDS = [
  'services',
  'describe',
  'call',
  'publish',
  'register',
  'deregister',
  'health',
] as const;
export type ServiceCommand = (typeof SERVICE_COMMANDS)[number];

export const SERVICES_USAGE = `usage:
  microcosm services                                  list services, versions and nodes
  microcosm describe SERVICE                          endpoints, metadata and nodes of each version
  microcosm call SERVICE Endpoint.Method [JSON]       call an endpoint, print the reply
        [--timeout MS] [--metadata k=v]… [--address HOST:PORT]
  microcosm publish TOPIC [JSON] --broker URL         publish a message
  microcosm register SERVICE --address HOST:PORT [--node ID] [--version V] [--endpoint E]… [--ttl MS]
  microcosm deregister SERVICE --node ID [--version V]
  microcosm health SERVICE                            call Health.Check on every node
${BACKEND_USAGE}
exit code: 0 ok, 1 the call failed or a node is unhealthy, 2 bad input`;

const OPTIONS = {
  ...BACKEND_OPTIONS,
  timeout: { type: 'string' },
  metadata: { type: 'string', multiple: true },
  address: { type: 'string' },
  node: { type: 'string' },
  version: { type: 'string' },
  endpoint: { type: 'string', multiple: true },
  ttl: { type: 'string' },
} as const;

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!(Number.isInteger(value) && value > 0))
    throw new UsageError(`--${name}: expected a positive integer, got "${text}"`);
  return value;
}

function need(what: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`missing ${what}`);
  return value;
}

const nodesLine = (service: Service) => service.nodes.map((n) => `${n.id}@${n.address}`).join(', ');

export async function serviceCommand(command: ServiceCommand, argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseStrict(argv, OPTIONS);
  if (values.help) {
    io.out(`${SERVICES_USAGE}\n`);
    return 0;
  }
  const json = values.json === true;
  const prefix = prefixOf(values.prefix);
  const print = (value: unknown, human: () => string) => io.out(`${json ? JSON.stringify(value, null, 2) : human()}\n`);
  const [first, second, third, ...extra] = positionals;
  const maxArgs = { services: 0, describe: 1, call: 3, publish: 2, register: 1, deregister: 1, health: 1 }[command];
  if (positionals.length > maxArgs) throw new UsageError(`unexpected argument "${positionals[maxArgs]}"`);
  void extra;

  if (command === 'publish') {
    const topic = need('TOPIC', first);
    const message = jsonArg('the message', second);
    const broker = backendUrl('broker', values.broker);
    const conn = await connect({ broker, prefix });
    try {
      const id = await conn.broker!.publish(topic, new TextEncoder().encode(JSON.stringify(message)), {
        headers: { 'content-type': 'application/json' },
      });
      print({ topic, id }, () => `published ${id} on ${topic}`);
      return 0;
    } finally {
      await conn.close();
    }
  }

  const registry = backendUrl('registry', values.registry);
  const timeoutMs = positive('timeout', values.timeout, 5_000);
  const metadata = Object.fromEntries(
    (values.metadata ?? []).map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new UsageError(`--metadata: expected key=value, got "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  const name = command === 'services' ? '' : need('SERVICE', first);
  const endpoint = command === 'call' ? need('Endpoint.Method', second) : '';
  if (command === 'call' && !/^\w+\.\w+$/.test(endpoint))
    throw new UsageError(`expected Endpoint.Method (like Greeter.Hello), got "${endpoint}"`);
  const body = command === 'call' ? jsonArg('the request', third) : undefined;
  const address = command === 'register' ? need('--address HOST:PORT', values.address) : values.address;
  const ttlMs = positive('ttl', values.ttl, 30_000);
  if (command === 'deregister') need('--node ID', values.node);

  const conn = await connect({ registry, prefix, client: command === 'call' || command === 'health' });
  try {
    const reg = conn.registry!;
    switch (command) {
      case 'services': {
        const services = (await reg.listServices()).sort(
          (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
        );
        print(services, () =>
          table(
            ['service', 'version', 'nodes', 'endpoints'],
            services.map((s) => [s.name, s.version, String(s.nodes.length), String(s.endpoints.length)]),
          ),
        );
        return 0;
      }
      case 'describe': {
        const versions = await reg.getService(name);
        if (versions.length === 0) {
          io.err(`microcosm describe: no service "${name}" in the registry\n`);
          return 1;
        }
        print(versions, () =>
          versions
            .map((s) =>
              [
                `${s.name} ${s.version}`,
                `  metadata:  ${JSON.stringify(s.metadata)}`,
                `  endpoints: ${s.endpoints.map((e) => e.name).join(', ')}`,
                `  nodes:     ${nodesLine(s)}`,
              ].join('\n'),
            )
            .join('\n'),
        );
        return 0;
      }
      case 'call': {
        try {
          const reply = await conn.client!.call(name, endpoint, body, {
            timeoutMs,
            metadata,
            ...(address === undefined ? {} : { address }),
          });
          io.out(`${JSON.stringify(reply, null, json ? undefined : 2)}\n`);
          return 0;
        } catch (error) {
          if (!isMicroError(error)) throw error;
          io.err(`microcosm call: ${error.code} (${error.status}): ${error.detail}\n`);
          if (json) io.out(`${JSON.stringify({ error: error.toJSON() })}\n`);
          return 1;
        }
      }
      case 'register':
      case 'deregister': {
        const version = values.version ?? 'latest';
        const node = {
          id: values.node ?? `${name}-cli-${address?.replaceAll(/\W/g, '-')}`,
          address: address ?? '',
          metadata: {},
        };
        const service: Service = {
          name,
          version,
          metadata: {},
          endpoints: (values.endpoint ?? []).map((e) => ({ name: e })),
          nodes: [node],
        };
        if (command === 'register') await reg.register(service, { ttlMs });
        else await reg.deregister(service);
        print(
          { [command === 'register' ? 'registered' : 'deregistered']: { service: name, version, node: node.id } },
          () => `${command}ed ${name} ${version} node ${node.id}${command === 'register' ? ` (ttl ${ttlMs} ms)` : ''}`,
        );
        return 0;
      }
      case 'health': {
        const versions = await reg.getService(name);
        if (versions.length === 0) {
          io.err(`microcosm health: no service "${name}" in the registry\n`);
          return 1;
        }
        const rows = await Promise.all(
          versions.flatMap((s) =>
            s.nodes.map(async (node) => {
              try {
                const reply = await conn.client!.call<HealthReply>(
                  name,
                  HEALTH_ENDPOINT,
                  {},
                  { address: node.address, timeoutMs, retries: 0 },
                );
                return { version: s.version, node: node.id, address: node.address, status: 'serving' as const, reply };
              } catch (error) {
                const detail = isMicroError(error) ? `${error.code}: ${error.detail}` : String(error);
                return {
                  version: s.version,
                  node: node.id,
                  address: node.address,
                  status: 'failing' as const,
                  error: detail,
                };
              }
            }),
          ),
        );
        print(rows, () =>
          table(
            ['node', 'version', 'address', 'status', 'uptime', 'calls', 'errors'],
            rows.map((r) => [
              r.node,
              r.version,
              r.address,
              r.status === 'serving' ? 'serving' : `FAILING ${r.error}`,
              r.status === 'serving' ? `${Math.round(r.reply.uptimeMs / 1000)} s` : '-',
              r.status === 'serving' ? String(r.reply.calls) : '-',
              r.status === 'serving' ? String(r.reply.errors) : '-',
            ]),
          ),
        );
        return rows.every((r) => r.status === 'serving') ? 0 : 1;
      }
    }
  } finally {
    await conn.close();
  }
}
