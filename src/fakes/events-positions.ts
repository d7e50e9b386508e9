/**
 * Durable consumer-group positions for the events fake, on its node's simulated disk — what
 * JetStream durable consumers and Redis consumer groups keep on the server. Per named group one
 * key holds the cursor and one key per unsettled record its hand-out count; every change is
 * synced, so after a crash and restart a group resumes behind its last hand-out, its acked
 * records stay settled and its unsettled ones are handed out again.
 *
 * Keys are `events-group/<JSON [stream, group]>/cursor` and `…/<offset>`; the values carry stream
 * and group themselves, so the key's spelling never has to be parsed.
 */
import type { GroupPosition } from '../micro/events/group.js';
import type { GroupPositions } from '../micro/events/memory.js';
import type { SimDisk } from '../sim/index.js';

const PREFIX = 'events-group/';

type Saved =
  | { readonly stream: string; readonly group: string; readonly cursor: number }
  | { readonly stream: string; readonly group: string; readonly offset: number; readonly deliveries: number };

/** Group positions on `disk`, read back once (at boot) and written through on every change. */
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
  return {
    load: (stream, group): GroupPosition | undefined => boot.get(id(stream, group)),
    listen(stream, group) {
      const base = `${PREFIX}${id(stream, group)}/`;
      return {
        cursor(cursor) {
          disk.put(`${base}cursor`, { stream, group, cursor } satisfies Saved);
          disk.sync();
        },
        handedOut(offset, deliveries) {
          disk.put(`${base}${offset}`, { stream, group, offset, deliveries } satisfies Saved);
          disk.sync();
        },
        settled(offset) {
          disk.delete(`${base}${offset}`);
          disk.sync();
        },
      };
    },
  };
}
