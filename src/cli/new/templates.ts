/**
 * The files `microcosm new` writes, as functions of the service's names (TypeScript string
 * modules, so tsc emits them with the CLI). `{{…}}`-free: plain template literals.
 */
export interface Names {
  /** The package and service name, e.g. `billing`. */
  readonly name: string;
  /** The proto service, e.g. `Billing`. */
  readonly service: string;
  /** The proto file's base name, e.g. `billing` (gen file `src/gen/billing_pb.ts`). */
  readonly protoBase: string;
  /** `file:` spec of @microcosm-ts/core. */
  readonly core: string;
  /** The first unary method: its name, and one string field of its request, if any. */
  readonly method: string;
  readonly field: string | undefined;
}

export const defaultProto = (service: string, pkg: string) => `syntax = "proto3";

package ${pkg};

service ${service} {
  rpc Hello(HelloRequest) returns (HelloReply);
}

message HelloRequest {
  string name = 1;
}

message HelloReply {
  string message = 1;
}
`;

export const packageJson = (n: Names) =>
  `${JSON.stringify(
    {
      name: n.name,
      version: '0.1.0',
      private: true,
      type: 'module',
      scripts: { test: 'vitest run', generate: 'buf generate proto' },
      dependencies: { '@microcosm-ts/core': n.core, '@bufbuild/protobuf': '^2.0.0' },
      devDependencies: {
        vitest: '^4.0.0',
        typescript: '^5.9.0',
        '@bufbuild/buf': '^1.0.0',
        '@bufbuild/protoc-gen-es': '^2.0.0',
      },
    },
    null,
    2,
  )}\n`;

export const tsconfig = `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "verbatimModuleSyntax": true,
    "skipLibCheck": true,
    "noEmit": true
  },
  "include": ["src", "test"]
}
`;

export const bufGen = (plugin: string) => `version: v2
plugins:
  - local: ${plugin}
    out: src/gen
    opt: target=ts
`;

export const protoRpc = `/**
 * Protobuf-es messages over Microcosm RPC: requests and replies travel as proto JSON, the typed
 * client and the handler adapter convert at each end, so either side may be another language.
 */
import { create, fromJson, type JsonValue, type MessageInitShape, type MessageShape, toJson } from '@bufbuild/protobuf';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import type { CallOptions, Client } from '@microcosm-ts/core';

export type TypedClient<M extends GenServiceMethods> = {
  [K in keyof M]: (request: MessageInitShape<M[K]['input']>, options?: CallOptions) => Promise<MessageShape<M[K]['output']>>;
};

export type TypedHandler<M extends GenServiceMethods> = {
  [K in keyof M]: (request: MessageShape<M[K]['input']>) => MessageInitShape<M[K]['output']> | Promise<MessageInitShape<M[K]['output']>>;
};

/** A client whose methods are the proto service's unary methods, typed by the generated schemas. */
export function typedClient<M extends GenServiceMethods>(client: Client, serviceName: string, desc: GenService<M>): TypedClient<M> {
  const methods: Record<string, unknown> = {};
  for (const [local, method] of Object.entries(desc.method)) {
    methods[local] = async (request: MessageInitShape<typeof method.input>, options?: CallOptions) => {
      const wire = toJson(method.input, create(method.input, request));
      const reply = await client.call<JsonValue>(serviceName, \`\${desc.name}.\${method.name}\`, wire, options);
      return fromJson(method.output, reply);
    };
  }
  return methods as TypedClient<M>;
}

/** The object to \`service.handle(desc.name, …)\`: decodes proto JSON, runs \`impl\`, encodes the reply. */
export function protoHandler<M extends GenServiceMethods>(desc: GenService<M>, impl: TypedHandler<M>): object {
  const handler: Record<string, (body: JsonValue) => Promise<JsonValue>> = {};
  for (const [local, method] of Object.entries(desc.method)) {
    const run = impl[local as keyof M];
    handler[method.name] = async (body) => {
      const reply = await run(fromJson(method.input, body) as never);
      return toJson(method.output, create(method.output, reply as never));
    };
  }
  return handler;
}
`;

// biome-ignore lint/suspicious/noTemplateCurlyInString: the generated code's own template literal
const HELLO_METHOD = '    hello: (request) => ({ message: `Hello ${request.name}` }),';

export const handler = (n: Names) => `/** The ${n.service} handler: one method per rpc of proto/${n.protoBase}.proto. */
import type { ${n.service} } from './gen/${n.protoBase}_pb.js';
import type { TypedHandler } from './proto-rpc.js';

type Methods = (typeof ${n.service})['method'];

export function create${n.service}Handler(): TypedHandler<Methods> {
  return {
${n.method === 'hello' && n.field === 'name' ? HELLO_METHOD : `    ${n.method}: () => ({}), // fill in`}
  } as TypedHandler<Methods>;
}
`;

export const service = (
  n: Names,
) => `/** The ${n.name} service: its handler on a Microcosm service, and a typed client for callers. */
import { type Client, createService, type MicroService, type ServiceOptions } from '@microcosm-ts/core';
import { ${n.service} } from './gen/${n.protoBase}_pb.js';
import { create${n.service}Handler } from './handler.js';
import { protoHandler, typedClient } from './proto-rpc.js';

export const SERVICE_NAME = '${n.name}';

/** Add the handler to a service (what \`simTest\` and \`createSimCluster\` call with theirs). */
export const setup${n.service} = (service: MicroService): MicroService =>
  service.handle(${n.service}.name, protoHandler(${n.service}, create${n.service}Handler()));

export function create${n.service}(plugins: Omit<ServiceOptions, 'name'> = {}): MicroService {
  return setup${n.service}(createService({ ...plugins, name: SERVICE_NAME }));
}

export const ${n.name.replaceAll(/\W/g, '')}Client = (client: Client) => typedClient(client, SERVICE_NAME, ${n.service});
`;

const call = (n: Names, who: string) =>
  `${n.name.replaceAll(/\W/g, '')}Client(${who}).${n.method}(${n.field === undefined ? '{}' : `{ ${n.field}: 'Ada' }`})`;

export const simTestFile = (n: Names) => `import { simTest } from '@microcosm-ts/core/vitest';
import { describe, expect } from 'vitest';
import { ${n.name.replaceAll(/\W/g, '')}Client, setup${n.service} } from '../src/service.js';

const system = { services: { '${n.name}': { replicas: 2, setup: setup${n.service} } } };

describe('${n.name} in the simulator', () => {
  simTest('answers through the typed client while one replica is partitioned away', system, async ({ cluster }) => {
    cluster.sim.net.partition(['client'], ['${n.name}-1']);
    const reply = await ${call(n, 'cluster.client')};
    expect(reply).toBeDefined();${n.method === 'hello' && n.field === 'name' ? "\n    expect(reply.message).toBe('Hello Ada');" : ''}
  });
});
`;

export const scenarioFile = (n: Names) => `/**
 * A scenario: the service on two nodes of a simulated world, a client calling it at 20/s, one
 * replica crashed for a second, and an invariant over the history — every call that failed did so
 * only while a replica was down, and most calls succeeded.
 */
import { defineScenario, defineSystem, serveRegistry, simRegistry, simTransport } from '@microcosm-ts/core/sim';
import { type Client, createService, silentLogger } from '@microcosm-ts/core';
import { ${n.name.replaceAll(/\W/g, '')}Client, create${n.service} } from '../src/service.js';

export const system = defineSystem({
  name: '${n.name}',
  async build(sim) {
    sim.node('registry', (ctx) => void serveRegistry(ctx));
    const plugins = (ctx: Parameters<Parameters<typeof sim.node>[1]>[0]) => ({
      runtime: ctx.runtime,
      registry: simRegistry(ctx),
      transport: simTransport(ctx),
      logger: silentLogger,
    });
    for (const node of ['${n.name}-1', '${n.name}-2']) sim.node(node, async (ctx) => void (await create${n.service}(plugins(ctx)).start()));
    let client: Client | undefined;
    sim.node('client', (ctx) => {
      client = createService({ ...plugins(ctx), name: 'client' }).client;
    });
    await sim.runFor(200);
    return {
      services: { registry: ['registry'], '${n.name}': ['${n.name}-1', '${n.name}-2'] },
      clients: ['client'],
      call: () => (client ? ${call(n, 'client')} : Promise.reject(new Error('no client'))),
    };
  },
});

export default defineScenario({
  name: '${n.name} survives a replica crash',
  system,
  workload: [{ op: 'call', rate: '20/s' }],
  faults: ['at 1s crash ${n.name}-1 for 1s'],
  invariants: [{ name: 'success-rate', min: 0.9 }],
  duration: '4s',
});
`;

export const scenarioTest = (n: Names) => `import { runScenario } from '@microcosm-ts/core/sim';
import { expect, it } from 'vitest';
import scenario from './scenario.js';

it('${n.name}: the scenario holds its invariants and replays to the same trace hash', async () => {
  const result = await runScenario(scenario, 1);
  expect(result.verdicts.every((v) => v.holds)).toBe(true);
  expect(result.operations.ok).toBeGreaterThan(50);
  expect((await runScenario(scenario, 1)).traceHash).toBe(result.traceHash);
});
`;

export const readme = (n: Names) => `# ${n.name}

A Microcosm service generated by \`microcosm new\`.

- \`proto/${n.protoBase}.proto\` — the contract; \`npm run generate\` regenerates \`src/gen/\` with protoc-gen-es.
- \`src/handler.ts\` — the ${n.service} handler, typed by the generated messages.
- \`src/service.ts\` — \`create${n.service}()\` (the service) and \`${n.name.replaceAll(/\W/g, '')}Client(client)\` (a typed client).
- \`test/service.test.ts\` — a \`simTest\`: the service on two simulated replicas, one partitioned away.
- \`test/scenario.ts\` — a scenario with a fault and an invariant; \`npx microcosm run test/scenario.ts\`.

\`\`\`sh
npm install
npm test
\`\`\`
`;
