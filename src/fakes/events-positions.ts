/**
 * Durable consumer-group positions for the events fake, on its node's simulated disk — what
 * JetStream durable consumers and Redis consumer groups keep on the server. Per named group one
 * key holds the cursor and one key per unsettled record its hand-out count.
 *
 * Changes are coalesced: the changes a group makes in one synchronous stretch (a hand-out moves
 * the cursor and counts the hand-out; an ack settles) are written once per key, then synced with
 * one `sync()`, in the microtask queued at the stretch's first change. That microtask runs before
 * any reaction the stretch set off — the hand-out's send to its consumer's node, the ack's reply —
 * so nothing another node sees rests on a position that is not yet durable; a crash before it
 * loses only changes nobody saw (the record is then handed out as if for the first time). After a
 * restart a group resumes behind its last hand-out, its acked records stay settled and its
 * unsettled ones are handed out again.
 *
 * Keys are `events-group/<JSON [stream, group]>/cursor` and `…/<offset>`; the values carry stream
 * and group themselves, so the key's spelling never has to be parsed.
 */
import type { GroupPosition } from '../micro/events/group.js';
import type { GroupPositions } from '../micro/events/memory.js';
import type { SimDisk } from '../sim/index.js';

const PREFIX = 'events-group/';
const SETTLED = -1;
const settledNow = Promise.resolve();

type Saved =
  | { readonly stream: string; readonly group: string; readonly cursor: number }
  | { readonly stream: string; readonly group: string; readonly offset: number; readonly deliveries: number };

/** Group positions on `disk`, read back once (at boot) and written through, coalesced, on every change. */
export function diskPositions(disk: SimDisk): GroupPositions {
  const boot = new Map<string, { cursor: number; unsettled: Map<number, number> }>();
  const id = (stream: string, group: string) => JSON.stringify([stream, group]);
  for (const key of disk.keys()) {
    if (!key.startsWith(PREFIX)) continue;
    const saved = disk.get(key) as Saved;
    const name = id(saved.stream, saved.group);
    let position = boot.get(name);
    if (!position) boot.set(name, (position = { cursor: 0, unsettled: new Map() }));
    if ('cursor' in saved) position.cursor = saved.cursor;
    else position.unsettled.set(saved.offset, saved.deliveries);
  }
  /** Flushes queued for the next microtask, in the order their groups first changed. */
  let due: (() => void)[] = [];
  const flushAll = () => {
    const flushes = due;
    due = [];
    for (const flush of flushes) flush();
    disk.sync();
  };
  return {
    load: (stream, group): GroupPosition | undefined => boot.get(id(stream, group)),
    listen(stream, group) {
      const base = `${PREFIX}${id(stream, group)}/`;
      let cursor: number | undefined;
      /** Offset → latest hand-out count, or SETTLED; in the order of first change. */
      const changed = new Map<number, number>();
      let queued = false;
      const flush = () => {
        queued = false;
        if (cursor !== undefined) disk.put(`${base}cursor`, { stream, group, cursor } satisfies Saved);
        cursor = undefined;
        for (const [offset, deliveries] of changed) {
          if (deliveries === SETTLED) disk.delete(`${base}${offset}`);
          else disk.put(`${base}${offset}`, { stream, group, offset, deliveries } satisfies Saved);
        }
        changed.clear();
      };
      const queue = () => {
        if (queued) return;
        queued = true;
        if (due.length === 0) void settledNow.then(flushAll);
        due.push(flush);
      };
      return {
        cursor(to) {
          cursor = to;
          queue();
        },
        handedOut(offset, deliveries) {
          changed.set(offset, deliveries);
          queue();
        },
        settled(offset) {
          changed.set(offset, SETTLED);
          queue();
        },
      };
    },
  };
}
