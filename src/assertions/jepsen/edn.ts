/**
 * A small EDN reader and writer for the subset Jepsen histories use: maps, keywords, strings,
 * numbers, nil, booleans, vectors, lists, sets, `;` comments, `#_` discards and tagged values
 * (`#inst "…"` reads as its string). Maps read as `Map`, vectors and lists as arrays, sets as
 * `Set`, keywords as interned {@link Keyword}s (so `kw('ok') === kw('ok')`).
 *
 * Why our own: the maintained npm EDN parsers we tried accept truncated or trailing input
 * without an error, and a history reader must name the malformed line.
 */

export class Keyword {
  private static readonly interned = new Map<string, Keyword>();
  private constructor(readonly name: string) {}
  static of(name: string): Keyword {
    let k = Keyword.interned.get(name);
    if (!k) Keyword.interned.set(name, (k = new Keyword(name)));
    return k;
  }
  toString(): string {
    return `:${this.name}`;
  }
  toJSON(): string {
    return `:${this.name}`;
  }
}

/** The interned keyword `:name`. */
export const kw = (name: string): Keyword => Keyword.of(name);

export type EdnValue =
  | null
  | boolean
  | number
  | string
  | Keyword
  | readonly EdnValue[]
  | ReadonlySet<EdnValue>
  | ReadonlyMap<EdnValue, EdnValue>;

/** Malformed EDN: `column` is 1-based within the text given. */
export class EdnSyntaxError extends Error {
  constructor(
    readonly detail: string,
    readonly column: number,
  ) {
    super(`${detail} at column ${column}`);
    this.name = 'EdnSyntaxError';
  }
}

const DELIMITERS = new Set([' ', '\t', '\n', '\r', ',', '(', ')', '[', ']', '{', '}', '"', ';']);
const NUMBER = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?[MN]?$/;

/** Read exactly one EDN value from `text`; anything but whitespace after it is an error. */
export function parseEdn(text: string): EdnValue {
  const reader = new Reader(text);
  reader.skip();
  if (reader.pos >= text.length) throw new EdnSyntaxError('empty input', 1);
  const value = reader.value();
  reader.skip();
  if (reader.pos < text.length)
    throw new EdnSyntaxError(`unexpected "${text[reader.pos]}" after the value`, reader.pos + 1);
  return value;
}

class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  skip(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === ' ' || c === ',' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === ';') while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
      else if (c === '#' && t[this.pos + 1] === '_') {
        this.pos += 2;
        this.skip();
        this.value();
      } else return;
    }
  }

  private fail(detail: string, at = this.pos): never {
    throw new EdnSyntaxError(detail, at + 1);
  }

  value(): EdnValue {
    const t = this.text;
    const c = t[this.pos];
    switch (c) {
      case undefined:
        return this.fail('unexpected end of input');
      case '{':
        return this.map();
      case '[':
        this.pos++;
        return this.sequence(']');
      case '(':
        this.pos++;
        return this.sequence(')');
      case '"':
        return this.string();
      case ':':
        return kw(this.token(this.pos + 1, 'keyword'));
      case '#':
        return this.dispatch();
      case ')':
      case ']':
      case '}':
        return this.fail(`unexpected "${c}"`);
      default:
        return this.atom();
    }
  }

  private sequence(close: string): EdnValue[] {
    const items: EdnValue[] = [];
    const start = this.pos - 1;
    for (;;) {
      this.skip();
      if (this.pos >= this.text.length) this.fail(`unclosed "${this.text[start]}"`, start);
      if (this.text[this.pos] === close) {
        this.pos++;
        return items;
      }
      items.push(this.value());
    }
  }

  private map(): Map<EdnValue, EdnValue> {
    const start = this.pos;
    this.pos++;
    const items = this.sequence('}');
    if (items.length % 2 !== 0) this.fail('a map needs an even number of forms', start);
    const map = new Map<EdnValue, EdnValue>();
    for (let i = 0; i < items.length; i += 2) map.set(items[i] as EdnValue, items[i + 1] as EdnValue);
    return map;
  }

  private dispatch(): EdnValue {
    const next = this.text[this.pos + 1];
    if (next === '{') {
      this.pos += 2;
      return new Set(this.sequence('}'));
    }
    // A tagged value (#inst "…", #uuid "…", #my/tag …): read the tag, keep the value.
    this.token(this.pos + 1, 'tag');
    this.skip();
    return this.value();
  }

  private string(): string {
    const t = this.text;
    const start = this.pos;
    let out = '';
    let i = this.pos + 1;
    for (;;) {
      const c = t[i];
      if (c === undefined) this.fail('unterminated string', start);
      if (c === '"') break;
      if (c === '\\') {
        const e = t[i + 1];
        const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' };
        if (e === 'u') {
          const hex = t.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape', i);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 6;
          continue;
        }
        const mapped = e === undefined ? undefined : escapes[e];
        if (mapped === undefined) this.fail(`bad escape "\\${e ?? ''}"`, i);
        out += mapped;
        i += 2;
        continue;
      }
      out += c;
      i++;
    }
    this.pos = i + 1;
    return out;
  }

  /** Read a token starting at `from` up to the next delimiter; it must not be empty. */
  private token(from: number, what: string): string {
    let end = from;
    while (end < this.text.length && !DELIMITERS.has(this.text[end] as string)) end++;
    if (end === from) this.fail(`empty ${what}`);
    this.pos = end;
    return this.text.slice(from, end);
  }

  private atom(): EdnValue {
    const start = this.pos;
    const word = this.token(this.pos, 'value');
    if (word === 'nil') return null;
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (/^[+-]?\d/.test(word)) {
      if (!NUMBER.test(word)) this.fail(`bad number "${word}"`, start);
      return Number(word.replace(/[MN]$/, ''));
    }
    if (word.startsWith('\\')) this.fail(`characters are not supported ("${word}")`, start);
    return word; // a symbol: read as its name
  }
}

/** Write a value as EDN. Plain objects become maps with keyword keys; arrays become vectors. */
export function formatEdn(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Keyword) return value.toString();
  if (Array.isArray(value)) return `[${value.map(formatEdn).join(' ')}]`;
  if (value instanceof Set) return `#{${[...value].map(formatEdn).join(' ')}}`;
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${formatEdn(k)} ${formatEdn(v)}`).join(', ')}}`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `:${k} ${formatEdn(v)}`)
      .join(', ')}}`;
  }
  throw new TypeError(`cannot write ${typeof value} as EDN`);
}
