import { describe, expect, it } from 'vitest';
import { memoryLogger } from './memory.js';

describe('logger', () => {
  it('records structured fields, adds child fields, and drops records below its level', () => {
    let now = 100;
    const logger = memoryLogger({ level: 'info', clock: { now: () => now } });
    const child = logger.child({ service: 'greeter' });
    child.debug('noise');
    now = 200;
    child.warn('slow call', { endpoint: 'Greeter.Hello', ms: 900 });
    expect(logger.records).toEqual([
      {
        time: 200,
        level: 'warn',
        message: 'slow call',
        fields: { service: 'greeter', endpoint: 'Greeter.Hello', ms: 900 },
      },
    ]);
  });
});
