// The package as a user gets it: `npm pack` → a fresh project that installs the tarball → plain
// Node ESM imports and one call, a strict `tsc` of a user's file under two module resolutions, the
// CLI on the user's own TypeScript scenario, and publint / arethetypeswrong on the tarball.
// It runs on the build that `npm test` makes before vitest (`npm run build`).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const own = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};

let dir = '';
let tarball = '';
let packedFiles: readonly string[] = [];

/** Run a command in the user's project; a failure shows its output. */
async function inProject(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  try {
    return await run(command, args, { cwd: dir, env: { ...process.env, ...env }, maxBuffer: 16 << 20 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: error });
  }
}

const APP = `import { createService } from '@microcosm-ts/core';

class Greeter {
  async Hello(request) {
    return { message: 'Hello ' + request.name };
  }
}

const service = createService({ name: 'greeter' });
service.handle('Greeter', new Greeter());
await service.start();
const reply = await service.client.call('greeter', 'Greeter.Hello', { name: 'Ada' });
await service.stop();
console.log(JSON.stringify(reply));
`;

const TYPED = `import { createService, type MicroService } from '@microcosm-ts/core';
import { createSim, defineScenario } from '@microcosm-ts/core/sim';
import { simTest } from '@microcosm-ts/core/vitest';
import { storeConformance } from '@microcosm-ts/core/conformance';

interface HelloRequest { readonly name: string }
class Greeter {
  async Hello(request: HelloRequest): Promise<{ message: string }> {
    return { message: \`Hello \${request.name}\` };
  }
}
const service: MicroService = createService({ name: 'greeter' }).handle('Greeter', new Greeter());
const sim = createSim({ seed: 1 });
export const used = [sim, defineScenario, simTest, storeConformance] as const;
`;

const SCENARIO = `import { defineScenario, defineSystem, type NodeContext } from '@microcosm-ts/core/sim';

// A one-node echo system: the client sends, the echo node answers.
const echo = defineSystem<undefined>({
  name: 'echo',
  parseOptions: () => undefined,
  build(sim) {
    let client: NodeContext | undefined;
    const waiting = new Map<number, () => void>();
    sim.node('echo', (ctx) => ctx.on('ping', (message) => ctx.send(message.from, message.payload, { port: 'pong' })));
    sim.node('client', (ctx) => {
      client = ctx;
      ctx.on('pong', (message) => waiting.get(message.payload as number)?.());
    });
    return {
      services: { echo: ['echo'] },
      clients: ['client'],
      call: (op) =>
        new Promise<void>((resolve) => {
          waiting.set(op.id, resolve);
          client?.send('echo', op.id, { port: 'ping' });
        }),
      invariants: {},
    };
  },
});

export default defineScenario({
  name: 'echo answers',
  system: echo,
  workload: [{ op: 'ping', rate: '20/s' }],
  invariants: [{ name: 'success-rate', min: 1 }],
  duration: '2s',
  seeds: 2,
});
`;

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'index.js'))) await run('npm', ['run', 'build'], { cwd: root });
  dir = await mkdtemp(join(tmpdir(), 'microcosm-user-'));
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root });
  const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  tarball = join(dir, info.filename);
  packedFiles = info.files.map((f) => f.path);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'user-app', private: true, type: 'module' }));
  // The core alone first (no plugin clients, no tsx), as a user who only simulates would have it.
  await inProject('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball]);
}, 300_000);

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

// Installs, tsc and attw are slow on a loaded 2-core machine: minutes, not the default 20 s.
describe('the packed package', { timeout: 300_000 }, () => {
  it('holds the build, the bin and no sources, tests or configs', () => {
    expect(packedFiles).toContain('dist/index.js');
    expect(packedFiles).toContain('dist/index.d.ts');
    expect(packedFiles).toContain('bin/microcosm.js');
    const stray = packedFiles.filter(
      (f) => !(f.startsWith('dist/') || f.startsWith('bin/') || ['package.json', 'README.md', 'LICENSE'].includes(f)),
    );
    expect(stray).toEqual([]);
    expect(packedFiles.filter((f) => /\.test\.|test-helpers|test-fixtures/.test(f))).toEqual([]);
  });

  it('installs no backend client library with the core', async () => {
    for (const peer of [
      'ioredis',
      'pg',
      'mysql2',
      'amqplib',
      'mqtt',
      '@nats-io/transport-node',
      'testcontainers',
      'tsx',
    ])
      expect(existsSync(join(dir, 'node_modules', peer)), peer).toBe(false);
  });

  it('imports and serves a call in plain Node ESM', async () => {
    await writeFile(join(dir, 'app.mjs'), APP);
    const { stdout } = await inProject(process.execPath, ['app.mjs']);
    expect(JSON.parse(stdout)).toEqual({ message: 'Hello Ada' });
  });

  it('names the client library to install when a plugin needs one', async () => {
    for (const [plugin, peer] of [
      ['redis', 'ioredis'],
      ['mysql', 'mysql2'],
    ] as const) {
      await writeFile(join(dir, `${plugin}.mjs`), `await import('@microcosm-ts/core/plugins/${plugin}');\n`);
      const failure = await inProject(process.execPath, [`${plugin}.mjs`]).then(
        () => 'no error',
        (error: Error) => error.message,
      );
      expect(failure).toContain(`the ${plugin} plugin needs the package "${peer}"`);
      expect(failure).toContain(`npm install ${peer}`);
    }
  });

  it('prints its version with plain node', async () => {
    const { stdout } = await inProject(join(dir, 'node_modules', '.bin', 'microcosm'), ['--version']);
    expect(stdout.trim()).toBe(JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).version);
  });

  describe('with TypeScript and tsx installed', () => {
    beforeAll(async () => {
      const versions = ['typescript', 'tsx', 'vitest', '@types/node'].map(
        (name) => `${name}@${own.devDependencies[name]}`,
      );
      await inProject('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-dev', ...versions]);
      await writeFile(join(dir, 'typed.ts'), TYPED);
    }, 300_000);

    for (const resolution of ['node16', 'bundler'] as const)
      it(`type-checks a user's file under --strict with moduleResolution ${resolution}`, async () => {
        const module = resolution === 'node16' ? 'node16' : 'esnext';
        await inProject(join(dir, 'node_modules', '.bin', 'tsc'), [
          '--noEmit',
          '--strict',
          '--exactOptionalPropertyTypes',
          '--target',
          'es2022',
          '--module',
          module,
          '--moduleResolution',
          resolution,
          '--types',
          'node',
          'typed.ts',
        ]);
      });

    it("runs the user's own TypeScript scenario with `npx microcosm run`", async () => {
      await mkdir(join(dir, 'scenarios'), { recursive: true });
      await writeFile(join(dir, 'scenarios', 'echo.ts'), SCENARIO);
      const { stdout } = await inProject('npx', ['microcosm', 'run', 'scenarios/echo.ts', '--workers', '1'], {
        CI: '1',
      });
      expect(stdout).toMatch(/echo answers\s+pass\s+2\s+0/);
    });
  });

  it('passes publint and arethetypeswrong', async () => {
    const publint = await run(bin('publint'), ['run', tarball, '--strict'], { cwd: root }).catch(
      (error: Error & { stdout?: string }) => {
        throw new Error(`publint: ${error.stdout ?? error.message}`);
      },
    );
    expect(publint.stdout).toContain('All good!');
    const attw = await run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], { cwd: root }).catch(
      (error: Error & { stdout?: string }) => {
        throw new Error(`attw: ${error.stdout ?? error.message}`);
      },
    );
    // The esm-only profile leaves out CommonJS resolutions (node10, node16 from CJS) — this package is
    // ESM only; every problem that remains must be one of those left out.
    const problems = attw.stdout
      .split('\n')
      .filter((line) => line.includes('arethetypeswrong.github.io/blob/main/docs/problems'));
    expect(problems.filter((line) => !line.startsWith('(ignored per resolution)'))).toEqual([]);
  });
});
