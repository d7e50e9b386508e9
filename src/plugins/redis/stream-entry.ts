/**
 * Stream entries as the Redis broker and events plugins write them: fields `id` (the message
 * id), `h` (headers as a JSON object) and `b` (the body bytes), plus whatever the caller adds.
 * Replies arrive as Buffers (see `luaScript` / `callBuffer`), decoded here.
 */

export interface StreamEntry {
  /** The Redis entry id, `<ms>-<seq>`. */
  readonly entryId: string;
  readonly fields: ReadonlyMap<string, Buffer>;
}

/** `[[id, [field, value, …]], …]` as returned by XRANGE / XREADGROUP / XAUTOCLAIM. */
export function parseEntries(raw: unknown): StreamEntry[] {
  if (!Array.isArray(raw)) return [];
  const entries: StreamEntry[] = [];
  for (const item of raw) {
    if (!Array.isArray(item) || item[1] == null) continue; // an entry deleted while pending
    const [id, flat] = item as [Buffer, Buffer[]];
    const fields = new Map<string, Buffer>();
    for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i]!.toString(), flat[i + 1]!);
    entries.push({ entryId: id.toString(), fields });
  }
  return entries;
}

/** XREADGROUP's reply `[[stream, entries]]` (or null on timeout) → the entries. */
export function parseReadGroup(raw: unknown): StreamEntry[] {
  if (!Array.isArray(raw) || raw.length === 0) return [];
  return parseEntries((raw[0] as [Buffer, unknown])[1]);
}

export function headersOf(entry: StreamEntry): Record<string, string> {
  const raw = entry.fields.get('h');
  return raw === undefined ? {} : (JSON.parse(raw.toString()) as Record<string, string>);
}

export function bodyOf(entry: StreamEntry): Uint8Array {
  const raw = entry.fields.get('b');
  return raw === undefined ? new Uint8Array() : new Uint8Array(raw);
}

export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
