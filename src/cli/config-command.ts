/**
 * `microcosm config get [PATH]` / `config set PATH JSON`: the shared config document that
 * `storeSource({ store, key })` serves to services, in a store (table `config`, key `--key`,
 * default 'config'). `set` is a compare-and-set on the record's revision, retried on conflict, so
 * two concurrent sets never lose one another's change.
 */
import type { Store } from '../micro/store/types.js';
import { BACKEND_OPTIONS, BACKEND_USAGE, backendUrl, jsonArg, parseStrict, prefixOf } from './backend-args.js';
import { connect } from './connect.js';
import { type CliIo, UsageError } from './io.js';

export const CONFIG_USAGE = `usage:
  microcosm config get [PATH] --store URL [--key K]     print the document (or the value at a.b.c)
  microcosm config set PATH JSON --store URL [--key K]  set the value at PATH
${BACKEND_USAGE}`;

const PATH = /^[\w-]+(\.[\w-]+)*$/;
type Doc = Record<string, unknown>;

async function readDoc(store: Store, key: string): Promise<{ doc: Doc; revision: number }> {
  const record = await store.read(key);
  if (!record) return { doc: {}, revision: 0 };
  return { doc: JSON.parse(new TextDecoder().decode(record.value)) as Doc, revision: record.revision };
}

const at = (doc: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>(
    (node, part) => (node !== null && typeof node === 'object' ? (node as Doc)[part] : undefined),
    doc,
  );

function setAt(doc: Doc, path: readonly string[], value: unknown): Doc {
  const [head, ...rest] = path;
  if (head === undefined) return doc;
  const child = doc[head];
  const next =
    rest.length === 0
      ? value
      : setAt(child !== null && typeof child === 'object' ? { ...(child as Doc) } : {}, rest, value);
  return { ...doc, [head]: next };
}

export async function configCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseStrict(argv, { ...BACKEND_OPTIONS, key: { type: 'string' } });
  if (values.help) {
    io.out(`${CONFIG_USAGE}\n`);
    return 0;
  }
  const [verb, pathText, valueText, ...extra] = positionals;
  if (verb !== 'get' && verb !== 'set')
    throw new UsageError(`expected "config get" or "config set", got "${verb ?? ''}"`);
  if (extra.length > 0 || (verb === 'get' && valueText !== undefined)) throw new UsageError('too many arguments');
  if (pathText !== undefined && !PATH.test(pathText)) throw new UsageError(`PATH: expected a.b.c, got "${pathText}"`);
  if (verb === 'set' && pathText === undefined) throw new UsageError('config set needs PATH and JSON');
  if (verb === 'set' && valueText === undefined) throw new UsageError('config set needs a JSON value');
  const value = verb === 'set' ? jsonArg('the value', valueText) : undefined;
  const key = values.key ?? 'config';
  const path = pathText?.split('.') ?? [];
  const conn = await connect({ store: backendUrl('store', values.store), prefix: prefixOf(values.prefix) });
  try {
    const store = conn.store!.withScope({ table: 'config' });
    if (verb === 'get') {
      const found = at((await readDoc(store, key)).doc, path);
      if (found === undefined) {
        io.err(`microcosm config: nothing at "${pathText ?? ''}"\n`);
        return 1;
      }
      io.out(`${JSON.stringify(found, null, values.json ? undefined : 2)}\n`);
      return 0;
    }
    for (let attempt = 0; attempt < 10; attempt++) {
      const { doc, revision } = await readDoc(store, key);
      const next = setAt(doc, path, value);
      const result = await store.write(
        { key, value: new TextEncoder().encode(JSON.stringify(next)) },
        { ifRevision: revision },
      );
      if (result.type === 'ok') {
        io.out(
          values.json
            ? `${JSON.stringify({ set: pathText, revision: result.revision })}\n`
            : `set ${pathText} (revision ${result.revision})\n`,
        );
        return 0;
      }
    }
    io.err('microcosm config: gave up after 10 conflicting writes\n');
    return 1;
  } finally {
    await conn.close();
  }
}
