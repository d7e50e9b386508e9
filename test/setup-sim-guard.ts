// After each test file: a simulation abandoned mid-run (a test that timed out inside it) must not
// leave its virtual globals or its real-I/O guard installed for the next file in this worker
// (vitest runs files with isolate: false). Restoring them is reported, never silent.
import { afterAll } from 'vitest';
import { restoreAbandonedGlobals } from '../src/sim/globals.js';

afterAll(() => {
  if (restoreAbandonedGlobals())
    console.warn('sim guard: a simulation was still installed when this file ended; the real globals are restored');
});
