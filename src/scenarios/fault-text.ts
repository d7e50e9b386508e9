/**
 * The one-line fault form: `at 10s partition [orders] from [broker] for 5s`. Returns the fault,
 * or a message saying what was expected.
 */
import type { FaultEvent } from './faults.js';
import { parseDuration } from './units.js';

type Parsed = { readonly fault: FaultEvent } | { readonly error: string };

const LINE = /^at\s+(\S+)\s+(.+?)(?:\s+for\s+(\S+))?$/;
const LIST = /^\[([^\]]*)\]$/;

export const FAULT_TEXT_FORMS = [
  'partition [a, b] from [c]',
  'partition-one-way [a] to [b]',
  'isolate NODE',
  'heal',
  'crash|restart|pause|resume NODE',
  'skew NODE by MS',
  'lag STORE by MS',
  'latency FROM -> TO DURATION',
  'loss|duplicate|reorder FROM -> TO P',
];

export function parseFaultText(text: string): Parsed {
  const line = LINE.exec(text.trim());
  if (!line) return { error: `a fault line "at <time> <fault> [for <time>]", got "${text}"` };
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
    case 'isolate':
    case 'crash':
    case 'restart':
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
