/**
 * The XML codec (fast-xml-parser), for peers that speak XML. Values travel in a small typed
 * vocabulary so that `decode(encode(v))` gives `v` back — XML alone cannot tell `1` from `"1"` or
 * a one-item list from an item:
 *
 *   <nil/>  <bool>true</bool>  <num>1.5</num>  <str>Ada</str>  <bin>base64</bin>
 *   <arr>…values…</arr>  <obj><e k="name">…value…</e>…</obj>
 *
 * Supported: null, booleans, finite numbers, strings, Uint8Array, arrays and plain objects of
 * them (`undefined` object fields are left out, as JSON does; an empty body is `undefined`).
 * Whitespace between elements is ignored, whitespace inside `<str>` kept. Not part of the core
 * entry (fast-xml-parser is an optional peer): `import { xmlCodec } from
 * '@microcosm-ts/core/plugins/xml'` and register it on `Codecs`.
 */
import { badRequest } from '../errors.js';
import { loadPeer } from '../peer.js';
import type { Codec } from './types.js';

const { XMLBuilder, XMLParser, XMLValidator } = await loadPeer(
  'fast-xml-parser',
  'xml',
  () => import('fast-xml-parser'),
);

type XmlNode = Record<string, unknown>;

const ATTRIBUTE = '@_';
const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE,
  suppressEmptyNode: true,
  format: false,
  processEntities: true,
});
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  ignoreDeclaration: true,
});
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>';

export const XML_CONTENT_TYPE = 'application/xml';

export const xmlCodec: Codec = {
  name: 'xml',
  contentType: XML_CONTENT_TYPE,
  encode(value) {
    if (value === undefined) return new Uint8Array(0);
    return encoder.encode(PROLOG + (builder.build([toNode(value, '')]) as string));
  },
  decode(bytes) {
    if (bytes.length === 0) return undefined;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch (cause) {
      throw badRequest('xml codec cannot decode the body: not valid UTF-8', { id: 'codec', cause });
    }
    const valid = XMLValidator.validate(text);
    if (valid !== true) {
      throw badRequest(`xml codec cannot decode the body: ${valid.err.msg} (line ${valid.err.line})`, { id: 'codec' });
    }
    const roots = elements(parser.parse(text) as XmlNode[]);
    if (roots.length !== 1) throw malformed(`expected one root element, got ${roots.length}`);
    return fromNode(roots[0] as XmlNode);
  },
};

function toNode(value: unknown, path: string): XmlNode {
  if (value === null || value === undefined) return { nil: [] };
  switch (typeof value) {
    case 'boolean':
      return { bool: [{ '#text': String(value) }] };
    case 'number':
      if (!Number.isFinite(value)) throw unsupported(path, `the number ${value}`);
      return { num: [{ '#text': String(value) }] };
    case 'string':
      return { str: value === '' ? [] : [{ '#text': value }] };
    case 'object': {
      if (value instanceof Uint8Array) return { bin: [{ '#text': Buffer.from(value).toString('base64') }] };
      if (Array.isArray(value)) return { arr: value.map((item, i) => toNode(item, `${path}[${i}]`)) };
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw unsupported(path, `a ${proto?.constructor?.name}`);
      const entries: XmlNode[] = [];
      for (const [key, item] of Object.entries(value)) {
        if (item === undefined) continue;
        entries.push({ e: [toNode(item, path === '' ? key : `${path}.${key}`)], ':@': { [`${ATTRIBUTE}k`]: key } });
      }
      return { obj: entries };
    }
    default:
      throw unsupported(path, `a ${typeof value}`);
  }
}

function fromNode(node: XmlNode): unknown {
  const tag = tagOf(node);
  const children = (node[tag] as XmlNode[] | undefined) ?? [];
  switch (tag) {
    case 'nil':
      return null;
    case 'bool': {
      const text = textOf(children);
      if (text !== 'true' && text !== 'false') throw malformed(`<bool> holds '${text}'`);
      return text === 'true';
    }
    case 'num': {
      const text = textOf(children).trim();
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) throw malformed(`<num> holds '${text}'`);
      return n;
    }
    case 'str':
      return textOf(children);
    case 'bin':
      return new Uint8Array(Buffer.from(textOf(children).trim(), 'base64'));
    case 'arr':
      return elements(children).map(fromNode);
    case 'obj': {
      const out: Record<string, unknown> = {};
      for (const entry of elements(children)) {
        const key = (entry[':@'] as Record<string, string> | undefined)?.[`${ATTRIBUTE}k`];
        if (tagOf(entry) !== 'e' || key === undefined) throw malformed('<obj> holds something other than <e k="…">');
        const values = elements((entry.e as XmlNode[] | undefined) ?? []);
        if (values.length !== 1) throw malformed(`<e k="${key}"> holds ${values.length} values`);
        Object.defineProperty(out, key, {
          value: fromNode(values[0] as XmlNode),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    default:
      throw malformed(`unknown element <${tag}>`);
  }
}

/** Child elements, skipping whitespace-only text between them (anything else is malformed). */
function elements(nodes: XmlNode[]): XmlNode[] {
  const out: XmlNode[] = [];
  for (const node of nodes) {
    if ('#text' in node) {
      if (String(node['#text']).trim() !== '')
        throw malformed(`unexpected text '${String(node['#text']).slice(0, 20)}'`);
    } else if (!('?xml' in node)) out.push(node);
  }
  return out;
}

function tagOf(node: XmlNode): string {
  return Object.keys(node).find((key) => key !== ':@') ?? '';
}

function textOf(children: XmlNode[]): string {
  let text = '';
  for (const child of children) {
    if (!('#text' in child)) throw malformed('a value element holds an element');
    text += String(child['#text']);
  }
  return text;
}

const unsupported = (path: string, what: string) =>
  badRequest(`xml codec cannot encode ${what}${path === '' ? '' : ` at ${path}`}`, { id: 'codec' });
const malformed = (why: string) => badRequest(`xml codec cannot decode the body: ${why}`, { id: 'codec' });
