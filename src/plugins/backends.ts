/**
 * Backends for plugin tests: one place that decides where a plugin's real backend lives.
 *
 * For each backend, in order:
 * 1. **Testcontainers** — only when a container engine answers (`DOCKER_HOST`, or a Docker /
 *    Podman socket that replies to `/_ping` within {@link ENGINE_PING_TIMEOUT_MS}). With no
 *    engine this step costs a few `stat` calls; `testcontainers` is imported only when needed.
 * 2. **`MICROCOSM_<NAME>_URL`** — e.g. `MICROCOSM_REDIS_URL=redis://10.0.0.5:6379`.
 * 3. **The default local port** — e.g. `redis://127.0.0.1:6379` (see {@link BACKENDS}).
 *
 * Steps 2 and 3 are probed with a TCP connect bounded by {@link PROBE_TIMEOUT_MS}. The first
 * that answers wins; every attempt is recorded in `tried`, so a skip line can say exactly
 * what was looked for. `MICROCOSM_TESTCONTAINERS=0` turns step 1 off.
 *
 * Test files use {@link describeBackend} (see `backends-vitest.ts`); this module has no
 * vitest dependency so that benchmarks and scripts can resolve backends too.
 */
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadPeer } from '../micro/peer.js';

/** The backends a plugin may need. */
export type BackendName = 'redis' | 'nats' | 'postgres' | 'mysql' | 'rabbitmq' | 'mqtt';

/** How to find one backend locally and how to start it in a container. */
export interface BackendSpec {
  readonly name: BackendName;
  /** The environment variable holding its URL. */
  readonly envVar: string;
  /** Where it listens on development and CI machines. */
  readonly defaultUrl: string;
  readonly image: string;
  readonly containerPort: number;
  readonly containerEnv?: Readonly<Record<string, string>>;
  readonly containerCommand?: readonly string[];
  /** A log line (regex source) that says the server is ready; absent = the port answering. */
  readonly readyLog?: string;
  /** How often `readyLog` must appear (Postgres logs it once for initdb, then for real). */
  readonly readyLogTimes?: number;
  /** The URL of a started container, from its host and mapped port. */
  readonly containerUrl: (host: string, port: number) => string;
}

export const BACKENDS: Readonly<Record<BackendName, BackendSpec>> = {
  redis: {
    name: 'redis',
    envVar: 'MICROCOSM_REDIS_URL',
    defaultUrl: 'redis://127.0.0.1:6379',
    image: 'redis:7-alpine',
    containerPort: 6379,
    containerUrl: (h, p) => `redis://${h}:${p}`,
  },
  nats: {
    name: 'nats',
    envVar: 'MICROCOSM_NATS_URL',
    defaultUrl: 'nats://127.0.0.1:4222',
    image: 'nats:2-alpine',
    containerPort: 4222,
    containerCommand: ['-js'],
    readyLog: 'Server is ready',
    containerUrl: (h, p) => `nats://${h}:${p}`,
  },
  postgres: {
    name: 'postgres',
    envVar: 'MICROCOSM_POSTGRES_URL',
    defaultUrl: 'postgres://postgres@127.0.0.1:5432/test',
    image: 'postgres:16-alpine',
    containerPort: 5432,
    containerEnv: { POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'test' },
    readyLog: 'database system is ready to accept connections',
    readyLogTimes: 2,
    containerUrl: (h, p) => `postgres://postgres@${h}:${p}/test`,
  },
  mysql: {
    name: 'mysql',
    envVar: 'MICROCOSM_MYSQL_URL',
    defaultUrl: 'mysql://root@127.0.0.1:3306/test',
    image: 'mariadb:11',
    containerPort: 3306,
    containerEnv: { MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: '1', MARIADB_DATABASE: 'test' },
    readyLog: 'ready for connections',
    readyLogTimes: 2,
    containerUrl: (h, p) => `mysql://root@${h}:${p}/test`,
  },
  rabbitmq: {
    name: 'rabbitmq',
    envVar: 'MICROCOSM_RABBITMQ_URL',
    defaultUrl: 'amqp://guest:guest@127.0.0.1:5672',
    image: 'rabbitmq:3-alpine',
    containerPort: 5672,
    readyLog: 'Server startup complete',
    containerUrl: (h, p) => `amqp://guest:guest@${h}:${p}`,
  },
  mqtt: {
    name: 'mqtt',
    envVar: 'MICROCOSM_MQTT_URL',
    defaultUrl: 'mqtt://127.0.0.1:1883',
    image: 'eclipse-mosquitto:2',
    containerPort: 1883,
    containerCommand: ['mosquitto', '-c', '/mosquitto-no-auth.conf'],
    containerUrl: (h, p) => `mqtt://${h}:${p}`,
  },
};

/** How long a TCP probe of an env or local URL may take. */
export const PROBE_TIMEOUT_MS = 300;
/** How long the container engine has to answer `/_ping`. */
export const ENGINE_PING_TIMEOUT_MS = 300;
/** Set to `1` (CI does) to make an unreachable backend fail its suite instead of skipping it. */
export const REQUIRE_SERVICES_ENV = 'MICROCOSM_REQUIRE_SERVICES';

export type BackendSource = 'container' | 'env' | 'local';

/** Where a backend was found — or every place that was looked at. */
export type Backend =
  | {
      readonly type: 'available';
      readonly name: BackendName;
      readonly url: string;
      readonly source: BackendSource;
      readonly tried: readonly string[];
    }
  | { readonly type: 'unavailable'; readonly name: BackendName; readonly tried: readonly string[] };

/** Whether `MICROCOSM_REQUIRE_SERVICES=1` is set: unreachable backends are then failures. */
export function servicesRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env[REQUIRE_SERVICES_ENV];
  return value === '1' || value === 'true';
}

/** One line naming what was tried, for a skip message or an error. */
export function describeAttempts(backend: Backend): string {
  const tried = backend.tried.join('; ');
  return backend.type === 'available'
    ? `${backend.name}: using ${backend.url} (${backend.source}; tried ${tried})`
    : `${backend.name}: no backend answered (tried ${tried})`;
}

const resolved = new Map<BackendName, Promise<Backend>>();

/**
 * Find a running backend (memoised per process: every suite in a test file shares one answer,
 * and at most one container per backend is started).
 */
export function resolveBackend(name: BackendName): Promise<Backend> {
  let pending = resolved.get(name);
  if (pending === undefined) {
    pending = locateBackend(BACKENDS[name]);
    resolved.set(name, pending);
  }
  return pending;
}

/** Walk the three steps for one backend spec (uncached; {@link resolveBackend} caches it). */
export async function locateBackend(spec: BackendSpec, env: NodeJS.ProcessEnv = process.env): Promise<Backend> {
  const tried: string[] = [];
  const engine = await findContainerEngine(env);
  if (engine === undefined) tried.push('testcontainers: no container engine answered');
  else {
    try {
      const url = await startContainer(spec);
      tried.push(`testcontainers: ${spec.image} via ${engine}`);
      return { type: 'available', name: spec.name, url, source: 'container', tried };
    } catch (error) {
      tried.push(`testcontainers: ${spec.image} failed to start (${errorText(error)})`);
    }
  }
  const fromEnv = env[spec.envVar];
  if (fromEnv === undefined || fromEnv === '') tried.push(`${spec.envVar}: not set`);
  else {
    const answer = await probeUrl(fromEnv);
    tried.push(`${spec.envVar}=${redact(fromEnv)}: ${answer}`);
    if (answer === 'answered') return { type: 'available', name: spec.name, url: fromEnv, source: 'env', tried };
  }
  const answer = await probeUrl(spec.defaultUrl);
  tried.push(`${redact(spec.defaultUrl)}: ${answer}`);
  if (answer === 'answered')
    return { type: 'available', name: spec.name, url: spec.defaultUrl, source: 'local', tried };
  return { type: 'unavailable', name: spec.name, tried };
}

/** Connect to the URL's host and port; report `answered` or why not. */
export function probeUrl(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<string> {
  let host: string;
  let port: number;
  try {
    const parsed = new URL(url);
    host = parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
    port = Number(parsed.port || defaultPort(parsed.protocol));
  } catch {
    return Promise.resolve('not a valid URL');
  }
  if (!Number.isInteger(port) || port <= 0) return Promise.resolve('no port in URL');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (answer: string) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => done('answered'));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

function defaultPort(protocol: string): number {
  const ports: Record<string, number> = {
    'redis:': 6379,
    'nats:': 4222,
    'postgres:': 5432,
    'postgresql:': 5432,
    'mysql:': 3306,
    'mariadb:': 3306,
    'amqp:': 5672,
    'mqtt:': 1883,
  };
  return ports[protocol] ?? 0;
}

/** Hide a password in a URL before printing it. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]+@/, '//$1:***@');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

const engines = new WeakMap<NodeJS.ProcessEnv, Promise<string | undefined>>();

/** The container engine's address if one answers `/_ping` quickly; memoised per environment. */
export function findContainerEngine(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  let engine = engines.get(env);
  if (engine === undefined) {
    engine = pingEngine(env);
    engines.set(env, engine);
  }
  return engine;
}

async function pingEngine(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.MICROCOSM_TESTCONTAINERS === '0') return undefined;
  const host = env.DOCKER_HOST;
  if (host !== undefined && host !== '') {
    if (host.startsWith('unix://')) return (await ping({ socketPath: host.slice(7) })) ? host : undefined;
    if (host.startsWith('tcp://') || host.startsWith('http://')) {
      const url = new URL(host.replace(/^tcp:/, 'http:'));
      return (await ping({ host: url.hostname, port: Number(url.port || 2375) })) ? host : undefined;
    }
    return undefined;
  }
  const runtimeDir = env.XDG_RUNTIME_DIR;
  const sockets = [
    '/var/run/docker.sock',
    join(homedir(), '.docker', 'run', 'docker.sock'),
    ...(runtimeDir === undefined ? [] : [join(runtimeDir, 'docker.sock'), join(runtimeDir, 'podman', 'podman.sock')]),
  ];
  for (const socketPath of sockets) {
    if (existsSync(socketPath) && (await ping({ socketPath }))) return `unix://${socketPath}`;
  }
  return undefined;
}

function ping(target: { socketPath: string } | { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ ...target, path: '/_ping', method: 'GET', timeout: ENGINE_PING_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

/**
 * Start the backend's image, or reuse the one already running with the same configuration:
 * every test file runs in its own worker process, and one container per backend serves them
 * all (tests isolate themselves by key prefix or schema). Reused containers outlive the run;
 * `TESTCONTAINERS_REUSE_ENABLE=false` gives each process its own, removed when it exits.
 */
async function startContainer(spec: BackendSpec): Promise<string> {
  const { GenericContainer, Wait } = await loadPeer(
    'testcontainers',
    'backend resolver',
    () => import('testcontainers'),
  );
  let container = new GenericContainer(spec.image).withExposedPorts(spec.containerPort).withReuse();
  if (spec.containerEnv !== undefined) container = container.withEnvironment({ ...spec.containerEnv });
  if (spec.containerCommand !== undefined) container = container.withCommand([...spec.containerCommand]);
  if (spec.readyLog !== undefined)
    container = container.withWaitStrategy(Wait.forLogMessage(new RegExp(spec.readyLog), spec.readyLogTimes ?? 1));
  const started = await container.start();
  return spec.containerUrl(started.getHost(), started.getMappedPort(spec.containerPort));
}
