/**
 * The rules: what a simulation cannot virtualise, found by syntax alone (no type checking, so
 * the lint is fast and needs no tsconfig). Each rule names the construct, why it escapes the
 * simulated world, and the usual fix.
 */
import type { Node } from 'ts-morph';
import { ambientName, isCallee, isNewDateNow, TIMERS } from './ambient.js';
import { atModuleLoad, runtimeInScope } from './scope.js';
import type { LintRule, TsMorph } from './types.js';

const SOCKETS = 'opens real sockets that do not run in virtual time (and are refused inside a simulation)';
const THREADS = 'runs work outside the simulated process, in real time';

/** Modules whose import means real I/O, with why and what to use instead. */
export const REAL_IO_MODULES: Readonly<Record<string, { readonly why: string; readonly fix: string }>> = {
  net: { why: SOCKETS, fix: 'talk through a Transport (simTransport in a simulation) or a fake node' },
  tls: { why: SOCKETS, fix: 'talk through a Transport (simTransport in a simulation) or a fake node' },
  dgram: { why: SOCKETS, fix: 'send through a sim node (ctx.send) or a Broker' },
  http: { why: SOCKETS, fix: 'call HTTP APIs with fetch and host them in the simulation with httpDependency' },
  https: { why: SOCKETS, fix: 'call HTTP APIs with fetch and host them in the simulation with httpDependency' },
  http2: { why: SOCKETS, fix: 'call HTTP APIs with fetch and host them in the simulation with httpDependency' },
  child_process: { why: THREADS, fix: 'model the other process as a sim node' },
  worker_threads: { why: THREADS, fix: 'model the worker as a sim node, or keep the worker outside simulated code' },
  cluster: { why: THREADS, fix: 'model each worker as a sim node' },
};
const CLIENT_FIX =
  'depend on the interface (Store, Broker, Cache, …) and pass the plugin in, so a simulation can pass its fake';
/** Client libraries that open raw sockets themselves. */
export const SOCKET_CLIENTS: readonly string[] = [
  'ioredis',
  'redis',
  'pg',
  'mysql',
  'mysql2',
  'mongodb',
  'amqplib',
  'mqtt',
  'nats',
  '@nats-io/transport-node',
  'kafkajs',
  'ws',
];
const HTTP_CLIENTS: readonly string[] = ['undici', 'axios', 'node-fetch', 'got'];

function moduleVerdict(specifier: string): { why: string; fix: string } | undefined {
  const bare = specifier.replace(/^node:/, '');
  const builtin = REAL_IO_MODULES[bare.split('/')[0] ?? ''];
  if (builtin) return builtin;
  const root = bare.startsWith('@') ? bare.split('/').slice(0, 2).join('/') : (bare.split('/')[0] ?? '');
  if (SOCKET_CLIENTS.includes(root)) return { why: SOCKETS, fix: CLIENT_FIX };
  if (HTTP_CLIENTS.includes(root))
    return { why: SOCKETS, fix: 'use the global fetch, which a simulation routes to an httpDependency' };
  return undefined;
}

/** The module a node imports at run time: import/export-from declarations, import(), require(). */
function importedModule(node: Node, tsm: TsMorph): string | undefined {
  if (tsm.Node.isImportDeclaration(node)) return node.isTypeOnly() ? undefined : node.getModuleSpecifierValue();
  if (tsm.Node.isExportDeclaration(node)) return node.isTypeOnly() ? undefined : node.getModuleSpecifierValue();
  if (tsm.Node.isCallExpression(node)) {
    const callee = node.getExpression();
    const isImport = callee.getKind() === tsm.SyntaxKind.ImportKeyword;
    const isRequire = tsm.Node.isIdentifier(callee) && callee.getText() === 'require';
    const [first] = node.getArguments();
    if ((isImport || isRequire) && first !== undefined && tsm.Node.isStringLiteral(first))
      return first.getLiteralValue();
  }
  return undefined;
}

const realIoImport: LintRule = {
  id: 'real-io-import',
  summary: 'imports of real I/O: node:net/http(s)/dgram/child_process/worker_threads and raw-socket clients',
  hint: 'reach other processes through the framework interfaces, which a simulation replaces with fakes',
  check(file, tsm, report) {
    file.forEachDescendant((node) => {
      const specifier = importedModule(node, tsm);
      const verdict = specifier === undefined ? undefined : moduleVerdict(specifier);
      if (verdict) report(node, `imports "${specifier}", which ${verdict.why}`, verdict.fix);
    });
  },
};

/** A rule flagging `object.member` accesses (also through globalThis). */
function memberRule(id: string, objects: readonly string[], member: string, message: string, hint: string): LintRule {
  return {
    id,
    summary: message,
    hint,
    check(file, tsm, report) {
      file.forEachDescendant((node) => {
        if (!tsm.Node.isPropertyAccessExpression(node) || node.getName() !== member) return;
        const object = node
          .getExpression()
          .getText()
          .replace(/^(globalThis|global)\./, '');
        if (objects.includes(object) || objects.some((o) => object.endsWith(`.${o}`)))
          report(node, `${node.getText()} ${message}`);
      });
    },
  };
}

const cryptoSubtle = memberRule(
  'crypto-subtle',
  ['crypto', 'webcrypto'],
  'subtle',
  'settles its promises from the thread pool, in real time, not at a virtual instant',
  'use the synchronous node:crypto functions (createHash, createHmac, sign) or do the work before the run',
);

const hrtime = memberRule(
  'hrtime',
  ['process'],
  'hrtime',
  'reads the real monotonic clock, which a simulation does not virtualise',
  'use performance.now (virtual inside a simulation) or the runtime clock',
);

const timeOrigin = memberRule(
  'time-origin',
  ['performance'],
  'timeOrigin',
  'is the real time the process started, not the simulated one',
  'take epoch time from the runtime clock (runtime.clock.now())',
);

const abortSignalTimeout: LintRule = {
  id: 'abort-signal-timeout',
  summary: 'AbortSignal.timeout fires on a real timer, outside virtual time',
  hint: 'abort an AbortController from setTimeout (virtual inside a simulation), or pass the call a timeoutMs',
  check(file, tsm, report) {
    file.forEachDescendant((node) => {
      if (
        tsm.Node.isPropertyAccessExpression(node) &&
        node.getText().replace(/^globalThis\./, '') === 'AbortSignal.timeout'
      )
        report(node, 'AbortSignal.timeout fires on a real timer, outside virtual time');
    });
  },
};

const moduleLoadClock: LintRule = {
  id: 'module-load-clock',
  summary: 'clocks, timers or random read or captured when the module loads',
  hint: 'read it inside the function that needs it, so a simulation (installed later) can supply it',
  check(file, tsm, report) {
    file.forEachDescendant((node) => {
      if (isNewDateNow(node, tsm) && atModuleLoad(node, tsm)) {
        report(node, 'reads the real wall clock when the module loads, before any simulation runs');
        return;
      }
      const name = ambientName(node, tsm);
      if (name === undefined || !atModuleLoad(node, tsm)) return;
      if (isCallee(node, tsm)) {
        report(
          node,
          TIMERS.has(name)
            ? `starts a real ${name} when the module loads, outside any simulation`
            : `calls ${name} when the module loads: its value is real and fixed before any simulation runs`,
        );
        return;
      }
      report(
        node,
        `captures the real ${name} when the module loads: a simulation swaps the global, this reference stays real`,
      );
    });
    // `const { setTimeout } = globalThis` captures too.
    file.forEachDescendant((node) => {
      if (!tsm.Node.isVariableDeclaration(node) || !atModuleLoad(node, tsm)) return;
      const name = node.getNameNode();
      const source = node.getInitializer()?.getText();
      if (
        !tsm.Node.isObjectBindingPattern(name) ||
        !(
          source === 'globalThis' ||
          source === 'global' ||
          source === 'Math' ||
          source === 'Date' ||
          source === 'performance'
        )
      )
        return;
      for (const element of name.getElements()) {
        const key = (element.getPropertyNameNode() ?? element.getNameNode()).getText();
        const full = source.startsWith('global') ? key : `${source}.${key}`;
        if (TIMERS.has(full) || ['Math.random', 'Date.now', 'performance.now'].includes(full))
          report(
            element,
            `captures the real ${full} when the module loads: a simulation swaps the global, this reference stays real`,
          );
      }
    });
  },
};

const ambientRuntime: LintRule = {
  id: 'ambient-runtime',
  summary: 'global clock, timers or random used where a runtime is in scope',
  hint: 'use the runtime: runtime.clock.now(), runtime.timers.setTimeout(…), runtime.random.next()',
  check(file, tsm, report) {
    file.forEachDescendant((node) => {
      const name = isNewDateNow(node, tsm) ? 'new Date' : ambientName(node, tsm);
      if (name === undefined || (name !== 'new Date' && !isCallee(node, tsm))) return;
      if (atModuleLoad(node, tsm) || !runtimeInScope(node, tsm)) return;
      report(
        node,
        `uses the global ${name} although a runtime is in scope: its clock, timers and random are the node's`,
      );
    });
  },
};

export const RULES: readonly LintRule[] = [
  realIoImport,
  cryptoSubtle,
  hrtime,
  timeOrigin,
  abortSignalTimeout,
  moduleLoadClock,
  ambientRuntime,
];

export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.id));
