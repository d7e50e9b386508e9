/**
 * `microcosm new NAME [--proto FILE] [--dir D] [--core SPEC]`: scaffold a service package — the
 * proto (given, or a Hello one), messages and service descriptors generated from it by
 * protoc-gen-es through buf, a typed client, the handler, a simTest, a scenario with an invariant
 * and a README. Everything is checked (name, folder, proto) before a file is written.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../io.js';
import * as t from './templates.js';

export const NEW_USAGE = `usage: microcosm new NAME [--proto FILE] [--dir D] [--core SPEC]
  NAME          the service and package name (lower-case letters, digits, "-")
  --proto FILE  the contract (default: a Hello service); its first service is served
  --dir D       where to create it (default: ./NAME; must not exist or be empty)
  --core SPEC   the @microcosm-ts/core dependency (default: file: this installation)`;

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(import.meta.url);

function binOf(pkg: string, bin: string): string {
  try {
    return join(dirname(require.resolve(`${pkg}/package.json`)), 'bin', bin);
  } catch {
    throw new UsageError(
      `microcosm new compiles the proto with ${pkg}: install it (npm i -D @bufbuild/buf @bufbuild/protoc-gen-es)`,
    );
  }
}
const pascal = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_, _dash, c: string) => c.toUpperCase());
const lowerCamel = (name: string) =>
  name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/^[A-Z]/, (c) => c.toLowerCase());

interface DescriptorSet {
  file: {
    name: string;
    package?: string;
    service?: {
      name: string;
      method?: { name: string; inputType: string; clientStreaming?: boolean; serverStreaming?: boolean }[];
    }[];
    messageType?: { name: string; field?: { name: string; type: string }[] }[];
  }[];
}

export interface GenerateOptions {
  readonly name: string;
  readonly cwd: string;
  readonly proto?: string;
  readonly dir?: string;
  readonly core?: string;
}

export async function generateService(options: GenerateOptions): Promise<{ dir: string; files: string[] }> {
  const { name } = options;
  if (!/^[a-z][a-z0-9-]*$/.test(name))
    throw new UsageError(`NAME: lower-case letters, digits and "-", starting with a letter; got "${name}"`);
  const dir = resolve(options.cwd, options.dir ?? name);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new UsageError(`--dir: ${dir} exists and is not empty`);
  let protoText: string;
  let protoBase: string;
  if (options.proto !== undefined) {
    const file = resolve(options.cwd, options.proto);
    if (!existsSync(file)) throw new UsageError(`--proto: no file ${options.proto}`);
    protoText = readFileSync(file, 'utf8');
    protoBase = basename(file, '.proto').replaceAll(/[^\w]/g, '_');
  } else {
    protoText = t.defaultProto(pascal(name), name.replaceAll('-', '_'));
    protoBase = name.replaceAll('-', '_');
  }
  const core = options.core ?? `file:${PACKAGE_ROOT}`;
  const files: string[] = [];
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
    files.push(path);
  };
  mkdirSync(dir, { recursive: true });
  write(`proto/${protoBase}.proto`, protoText);
  write('buf.gen.yaml', t.bufGen('protoc-gen-es'));

  // Generate with this installation's buf and protoc-gen-es (the project's own `npm run generate` uses its own).
  const buf = binOf('@bufbuild/buf', 'buf');
  const run = (args: string[]) => {
    try {
      return execFileSync(buf, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new UsageError(`--proto: buf could not compile it:\n${stderr.trim()}`);
    }
  };
  const descriptors = JSON.parse(run(['build', 'proto', '-o', '-#format=json'])) as DescriptorSet;
  run([
    'generate',
    'proto',
    '--template',
    t.bufGen(binOf('@bufbuild/protoc-gen-es', 'protoc-gen-es')).replaceAll('\n', '\n'),
  ]);
  files.push(...readdirSync(join(dir, 'src', 'gen')).map((f) => `src/gen/${f}`));

  const file = descriptors.file.find((f) => (f.service ?? []).length > 0);
  const svc = file?.service?.[0];
  const method = svc?.method?.find((m) => !m.clientStreaming && !m.serverStreaming);
  if (!file || !svc || !method) throw new UsageError('--proto: it declares no service with a unary rpc');
  const input = file.messageType?.find((m) => method.inputType.endsWith(`.${m.name}`) || method.inputType === m.name);
  const stringField = input?.field?.find((f) => f.type === 'TYPE_STRING');
  const names: t.Names = {
    name,
    service: svc.name,
    protoBase: basename(file.name, '.proto'),
    core,
    method: lowerCamel(method.name),
    field: stringField ? lowerCamel(stringField.name) : undefined,
  };
  write('package.json', t.packageJson(names));
  write('tsconfig.json', t.tsconfig);
  write('src/proto-rpc.ts', t.protoRpc);
  write('src/handler.ts', t.handler(names));
  write('src/service.ts', t.service(names));
  write('test/service.test.ts', t.simTestFile(names));
  write('test/scenario.ts', t.scenarioFile(names));
  write('test/scenario.test.ts', t.scenarioTest(names));
  write('README.md', t.readme(names));
  return { dir, files };
}
