import { parse } from 'yaml';
import { configNode } from '../fakes/config.js';
import { drive } from '../fakes/driven.js';
import { fileSource } from '../micro/config/file.js';
import { memorySource } from '../micro/config/sources.js';
import { storeSource } from '../micro/config/store-source.js';
import { memoryStore } from '../micro/store/memory.js';
import { createSim, type NodeContext } from '../sim/index.js';
import { configConformance } from './config.js';
import { manualRuntime } from './support.js';

const encode = (text: string) => new TextEncoder().encode(text);

configConformance(
  'memory source',
  async () => {
    const source = memorySource();
    const runtime = manualRuntime();
    return { subject: { source, write: async (tree) => source.replace(tree) }, advance: (ms) => runtime.advance(ms) };
  },
  { unsupported: { rawContent: 'a memory source holds trees, never text' } },
);

configConformance('store-backed source over a memory store', async () => {
  const runtime = manualRuntime();
  const store = memoryStore({ runtime, table: 'config' });
  const source = storeSource({ store, key: 'app.json', runtime, pollMs: 500 });
  const write = async (text: string) => void (await store.write({ key: 'app.json', value: encode(text) }));
  return {
    subject: { source, write: (tree) => write(JSON.stringify(tree)), writeRaw: write },
    advance: (ms) => runtime.advance(ms),
  };
});

configConformance('YAML file source on an in-memory disk', async () => {
  const runtime = manualRuntime();
  const disk = new Map<string, string>();
  const read = async (path: string) => {
    const text = disk.get(path);
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
  const source = fileSource('/etc/app/config.yaml', { runtime, read, pollMs: 250 });
  const write = async (text: string) => void disk.set('/etc/app/config.yaml', text);
  return {
    subject: {
      source,
      // Written as YAML block style, so the file really is YAML.
      write: async (tree) => {
        const yaml = (await import('yaml')).stringify(tree);
        expectYaml(yaml, tree);
        await write(yaml);
      },
      writeRaw: async () => write('app:\n  port: [unclosed\n'),
    },
    advance: (ms) => runtime.advance(ms),
  };
});

function expectYaml(text: string, tree: unknown): void {
  if (JSON.stringify(parse(text)) !== JSON.stringify(tree)) throw new Error('YAML round trip broke the test fixture');
}

configConformance('sim fake: config node, source polling over the simulated network', async () => {
  const sim = createSim({ seed: 4 });
  const node = configNode(sim);
  let app!: NodeContext;
  sim.node('app', (ctx) => {
    app = ctx;
  });
  await sim.runFor(0);
  const driven = drive(sim);
  const source = driven.wrap(node.source(app, { key: 'shop.json', pollMs: 500 }));
  return {
    subject: {
      source,
      write: (tree) => node.publish('shop.json', tree),
      writeRaw: (text) => node.publish('shop.json', text),
    },
    advance: (ms) => driven.advance(ms),
    cleanup: async () => sim.dispose(),
  };
});
