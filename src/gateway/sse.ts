/** Server-Sent Events over a response stream: `data:` per reply, then `end`, or `error` with the MicroError. */
import { toMicroError } from '../micro/errors.js';

export function sseFrame(data: unknown, event?: string): string {
  const lines = JSON.stringify(data)
    .split('\n')
    .map((line) => `data: ${line}`);
  return `${event === undefined ? '' : `event: ${event}\n`}${lines.join('\n')}\n\n`;
}

/** The SSE frames of a stream whose first result has been read already. */
export async function* sseEvents(first: IteratorResult<unknown>, rest: AsyncIterator<unknown>): AsyncGenerator<string> {
  try {
    for (let result = first; !result.done; result = await rest.next()) yield sseFrame(result.value);
    yield sseFrame(null, 'end');
  } catch (error) {
    yield sseFrame({ error: toMicroError(error).toJSON() }, 'error');
  } finally {
    await rest.return?.();
  }
}

/** Parse SSE text back into events (for clients and tests). */
export function parseSse(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      return { event, data: JSON.parse(data.join('\n')) as unknown };
    });
}
