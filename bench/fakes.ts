// `npm run bench -- fakes`: operations per second of the fakes inside the simulator — store
// write/read/CAS, cache, auth (bench/fakes-data.ts) and broker publish→deliver, events, lock
// acquire/release (bench/fakes-messaging.ts) — each printed as its own figure. Last line: the
// geometric mean over every operation, `fakes: N ops/s`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const figures: number[] = [];
for (const part of ['fakes-data', 'fakes-messaging']) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, `${part}.ts`)], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`${part} failed:\n${run.stderr}`);
  for (const line of run.stdout.trim().split('\n')) {
    const operation = /^(.+): (\d+) ops\/s \(/.exec(line);
    if (!operation) continue;
    console.log(line);
    figures.push(Number(operation[2]));
  }
}
const mean = Math.exp(figures.reduce((sum, f) => sum + Math.log(f), 0) / figures.length);
console.log(`fakes: ${Math.round(mean)} ops/s (geometric mean over ${figures.length} operations)`);
