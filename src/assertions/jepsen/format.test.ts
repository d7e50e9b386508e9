import { describe, expect, it } from 'vitest';
import { checkHistory } from '../checker/check.js';
import type { History } from '../history.js';
import { register } from '../models/register.js';
import { detectFormat, formatHistory, HistoryParseError, parseHistory } from './format.js';

const LOG = [
  'INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]',
  'INFO  jepsen.core - some other log line',
  'INFO  jepsen.util - 1\t:invoke\t:read\tnil',
  'INFO  jepsen.util - 1\t:fail\t:read\t:timed-out',
  'INFO  jepsen.util - 3\t:info\t:cas\t:timed-out',
  'INFO  jepsen.util - :nemesis\t:info\t:start\tnil',
].join('\n');

describe('reading Jepsen histories', () => {
  it('detects the format from the content', () => {
    expect(detectFormat(LOG)).toBe('log');
    expect(detectFormat('\n{:process 0, :type :invoke, :f :read, :value nil}')).toBe('edn');
    expect(detectFormat('{"process":0,"type":"invoke","f":"read","value":null}')).toBe('json');
    expect(detectFormat('hello')).toBeUndefined();
  });

  it('reads log lines: :info and timed-out failures are unknown, nemesis lines are skipped', () => {
    const { history } = parseHistory(LOG);
    expect(history).toEqual([
      { type: 'invoke', process: 3, f: 'cas', value: [1, 4] },
      { type: 'invoke', process: 1, f: 'read', value: null },
      { type: 'unknown', process: 1, f: 'read', value: null, error: 'timed-out' },
      { type: 'unknown', process: 3, f: 'cas', value: null, error: 'timed-out' },
    ]);
  });

  it('reads EDN maps with keys and converts :time from nanoseconds', () => {
    const { history } = parseHistory(
      '{:process 0, :type :invoke, :f :get, :key "7", :value nil, :time 2000000}\n{:process 0, :type :ok, :f :get, :key "7", :value ""}',
    );
    expect(history[0]).toEqual({ type: 'invoke', process: 0, f: 'get', key: '7', value: null, time: 2 });
    expect(history[1]?.value).toBe('');
  });

  it('reports every malformed line with its number', () => {
    const text = [
      '{:process 0, :type :invoke, :f :read, :value nil}',
      '{:process 0, :type :ok',
      '',
      '{:process 0, :type :bogus, :f :read, :value 1}',
    ].join('\n');
    try {
      parseHistory(text);
      expect.unreachable('a malformed history must not parse');
    } catch (error) {
      expect(error).toBeInstanceOf(HistoryParseError);
      const problems = (error as HistoryParseError).problems;
      expect(problems.map((p) => p.line)).toEqual([2, 4]);
      expect(problems[1]?.message).toMatch(/bad type :bogus/);
    }
  });

  it('round-trips through every format and keeps its verdict', () => {
    const history: History = [
      { type: 'invoke', process: 0, f: 'write', value: 1, time: 0 },
      { type: 'ok', process: 0, f: 'write', value: 1, time: 2 },
      { type: 'invoke', process: 1, f: 'cas', value: [1, 2], time: 3 },
      { type: 'unknown', process: 1, f: 'cas', value: null, time: 9, error: 'timeout' },
      { type: 'invoke', process: 2, f: 'read', value: null, time: 10 },
      { type: 'ok', process: 2, f: 'read', value: 2, time: 11 },
    ];
    for (const format of ['json', 'edn', 'log'] as const) {
      const text = formatHistory(history, format);
      const back = parseHistory(text);
      expect(back.format).toBe(format);
      expect(back.history.map((e) => [e.type, e.process, e.f, e.value])).toEqual(
        history.map((e) => [e.type, e.process, e.f, e.value]),
      );
      expect(checkHistory(back.history, register).type).toBe('linearizable');
    }
  });
});
