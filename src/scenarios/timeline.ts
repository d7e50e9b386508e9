/**
 * Build the space-time data of a run from its trace and history: messages (capped, keeping those
 * nearest the first violation), lifecycle marks, faults and client operations.
 */
import type { History } from '../assertions/history.js';
import { NEW_ADDRESS_RECORD } from '../fakes/sim-address.js';
import type { TraceEvent } from '../sim/trace.js';
import type { Timeline, TimelineFault, TimelineMark, TimelineMessage, TimelineOperation, Violation } from './result.js';

/** Arrows beyond this many are left out (the page stays light). */
export const MAX_TIMELINE_MESSAGES = 3000;
const MARK_TYPES = new Set(['crash', 'restart', 'pause', 'resume', 'skew', 'drift']);
const MAX_MARKS = 2000;

export interface TimelineInput {
  readonly nodes: readonly string[];
  readonly durationMs: number;
  readonly trace: readonly TraceEvent[];
  readonly history: History;
  readonly faults: readonly TimelineFault[];
  readonly violations: readonly Violation[];
}

export function buildTimeline(input: TimelineInput): Timeline {
  const sent = new Map<number, TimelineMessage>();
  const done: TimelineMessage[] = [];
  const marks: TimelineMark[] = [];
  for (const event of input.trace) {
    if ('custom' in event) {
      // Systems' own records (lock grants, broker events) would bury the lanes; a move is a mark.
      if (event.type === NEW_ADDRESS_RECORD && event.node !== undefined && marks.length < MAX_MARKS)
        marks.push({ at: event.time, node: event.node, label: `new address ${event.to} (was ${event.from})` });
      continue;
    }
    switch (event.type) {
      case 'send':
        sent.set(event.id, { from: event.from, to: event.to, sentAt: event.time, outcome: 'in-flight' });
        break;
      case 'deliver':
      case 'drop': {
        const message = sent.get(event.id);
        if (message === undefined) break;
        sent.delete(event.id);
        done.push({ ...message, at: event.time, outcome: event.type === 'deliver' ? 'delivered' : 'dropped' });
        break;
      }
      default:
        if (MARK_TYPES.has(event.type) && event.node !== undefined && marks.length < MAX_MARKS)
          marks.push({ at: event.time, node: event.node, label: markLabel(event) });
    }
  }
  const all = [...done, ...sent.values()];
  const focus = input.violations.find((v) => v.at !== undefined)?.at;
  const kept =
    all.length <= MAX_TIMELINE_MESSAGES
      ? all
      : [...all]
          .sort((a, b) => Math.abs(a.sentAt - (focus ?? 0)) - Math.abs(b.sentAt - (focus ?? 0)))
          .slice(0, MAX_TIMELINE_MESSAGES);
  kept.sort((a, b) => a.sentAt - b.sentAt);
  return {
    nodes: input.nodes,
    durationMs: input.durationMs,
    messages: kept,
    messagesOmitted: all.length - kept.length,
    faults: input.faults,
    operations: operationsOf(input.history),
    marks,
    violations: input.violations,
  };
}

/** `restart` — or, for a restart onto a new address, `restart (new address)`. */
function markLabel(event: TraceEvent): string {
  return event.type === 'restart' && 'newAddress' in event && event.newAddress === true
    ? 'restart (new address)'
    : event.type;
}

function operationsOf(history: History): TimelineOperation[] {
  const open = new Map<string, { id: number; client: string; label: string; invokedAt: number }>();
  const ops: TimelineOperation[] = [];
  let next = 0;
  for (const event of history) {
    const process = String(event.process);
    if (event.type === 'invoke') {
      open.set(process, {
        id: next++,
        client: clientOf(event.process),
        label: `${event.f}${event.key === undefined ? '' : ` ${event.key}`}`,
        invokedAt: event.time ?? 0,
      });
      continue;
    }
    const started = open.get(process);
    if (started === undefined) continue;
    open.delete(process);
    ops.push({
      ...started,
      completedAt: event.time ?? started.invokedAt,
      outcome: event.type,
      ...(event.error === undefined ? {} : { detail: event.error }),
    });
  }
  for (const started of open.values()) ops.push({ ...started, outcome: 'unknown', detail: 'still open at the end' });
  return ops.sort((a, b) => a.id - b.id);
}

/** Workload processes are named `<client>#<op id>`; the lane is the client node. */
function clientOf(process: string | number): string {
  return String(process).split('#')[0] ?? String(process);
}
