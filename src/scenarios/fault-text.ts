/**
 * The one-line fault form: `at 10s partition [orders] from [broker] for 5s`. Returns the fault,
 * or a message saying what was expected.
 */
import type { FaultEvent } from './faults.js';
import { parseDuration } from './units.js';

type Parsed = { readonly fault: FaultEvent } | { readonly error: string };

const LINE = /^at\s+(\S+)\s+(.+?)(?:\s+for\s+(\S+))?$/;
const LIST = /^\[([^\]]*)\]$/;
/** `restart orders-1 --new-address`: the node comes back on a new address. */
const NEW_ADDRESS_FLAG = '--new-address';

export const FAULT_TEXT_FORMS = [
  'partition [a, b] from [c]',
  'partition-one-way [a] to [b]',
  'isolate NODE',
  'heal',
  'crash|restart|pause|resume NODE',
  'restart NODE --new-address',
  'skew NODE by MS',
  'lag STORE by MS',
  'latency FROM -> TO DURATION',
  'loss|duplicate|reorder FROM -> TO P',
];

const ON = /^on\s+(\S+)\s+(\S+)\s+(.+)$/;
const AFTER = /^after\s+(\d+)\s+(\S+)\s+on\s+(\S+)\s+(.+)$/;

export function parseFaultText(text: string): Parsed {
  const trimmed = text.trim();
  const on = ON.exec(trimmed) ?? undefined;
  const after = on ? undefined : (AFTER.exec(trimmed) ?? undefined);
  if (on || after) {
    const [node, record, count, rest] = on
      ? [on[1], on[2], 1, on[3]]
      : [after?.[3], after?.[2], Number(after?.[1]), after?.[4]];
    if (!(count >= 1)) return { error: `a count of at least 1 after "after", got "${after?.[1]}"` };
    const parsed = parseFaultText(`at 0ms ${rest ?? ''}`);
    if ('error' in parsed) return parsed;
    const trigger = { record: record ?? '', node: node ?? '', ...(count === 1 ? {} : { count }) };
    return { fault: { ...parsed.fault, on: trigger } };
  }
  const line = LINE.exec(trimmed);
  if (!line)
    return {
      error: `a fault line "at <time> <fault> [for <time>]", "on <node> <record> <fault>" or "after <n> <records> on <node> <fault>", got "${text}"`,
    };
  const at = parseDuration(line[1] ?? '');
  if (at === undefined) return { error: `a time like 10s or 250ms after "at", got "${line[1]}"` };
  let span: number | undefined;
  if (line[3] !== undefined) {
    span = parseDuration(line[3]);
    if (span === undefined) return { error: `a time like 5s after "for", got "${line[3]}"` };
  }
  const action = parseAction((line[2] ?? '').trim());
  if ('error' in action) return action;
  const fault = { ...action.action, at, ...(span === undefined ? {} : { for: span }) } as FaultEvent;
  return { fault };
}

type ActionResult = { readonly action: Record<string, unknown> } | { readonly error: string };

function parseAction(text: string): ActionResult {
  const words = text.split(/\s+/);
  const verb = words[0] ?? '';
  const expected = { error: `one of: ${FAULT_TEXT_FORMS.join('; ')} — got "${text}"` };
  switch (verb) {
    case 'heal':
      return words.length === 1 ? { action: { type: 'heal' } } : expected;
    case 'restart':
      if (words.length === 3 && words[2] === NEW_ADDRESS_FLAG)
        return { action: { type: verb, node: words[1], newAddress: true } };
      return words.length === 2 ? { action: { type: verb, node: words[1] } } : expected;
    case 'isolate':
    case 'crash':
    case 'pause':
    case 'resume':
      return words.length === 2 ? { action: { type: verb, node: words[1] } } : expected;
    case 'skew': {
      const ms = parseDuration((words[3] ?? '').replace(/^\+/, ''));
      const negative = (words[3] ?? '').startsWith('-');
      const magnitude = negative ? parseDuration((words[3] ?? '').slice(1)) : ms;
      if (words.length !== 4 || words[2] !== 'by' || magnitude === undefined) return expected;
      return { action: { type: 'skew', node: words[1], ms: negative ? -magnitude : magnitude } };
    }
    case 'lag': {
      const ms = parseDuration(words[3] ?? '');
      if (words.length !== 4 || words[2] !== 'by' || ms === undefined) return expected;
      return { action: { type: 'lag', node: words[1], ms } };
    }
    case 'partition':
    case 'partition-one-way': {
      const rest = text.slice(verb.length).trim();
      const joiner = verb === 'partition' ? 'from' : 'to';
      const [left, right, extra] = rest.split(new RegExp(`\\s+${joiner}\\s+`));
      const a = list(left);
      const b = list(right);
      if (!a || !b || extra !== undefined) return expected;
      return { action: verb === 'partition' ? { type: verb, a, b } : { type: verb, from: a, to: b } };
    }
    case 'latency': {
      const ms = parseDuration(words[4] ?? '');
      if (words.length !== 5 || words[2] !== '->' || ms === undefined) return expected;
      return { action: { type: 'latency', from: words[1], to: words[3], latency: { type: 'constant', ms } } };
    }
    case 'loss':
    case 'duplicate':
    case 'reorder': {
      const p = Number(words[4]);
      if (words.length !== 5 || words[2] !== '->' || !(p >= 0 && p <= 1)) return expected;
      return { action: { type: verb, from: words[1], to: words[3], p } };
    }
    default:
      return expected;
  }
}

function list(text: string | undefined): string[] | undefined {
  const match = LIST.exec((text ?? '').trim());
  if (!match) return undefined;
  const items = (match[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return items.length === 0 ? undefined : items;
}
