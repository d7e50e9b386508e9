import { memoryAuth } from '../micro/auth/memory.js';
import { authConformance } from './auth.js';
import { manualRuntime } from './support.js';

const SECRET = 'conformance-secret-of-at-least-32-bytes!';

authConformance('memory', async () => {
  const runtime = manualRuntime();
  return { subject: memoryAuth({ secret: SECRET, runtime }), advance: (ms) => runtime.advance(ms) };
});
