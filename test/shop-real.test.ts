// The shop for real: `npm run shop -- --smoke` starts every service as its own process on
// loopback (TCP, NATS KV registry, Redis locks and Streams, PostgreSQL store), drives checkouts
// through the gateway and stops everything. Needs all three backends.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeBackend } from '../src/plugins/describe-backend.js';

const ROOT = join(import.meta.dirname, '..');

function runShop(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/shop/real/main.ts', '--smoke'], { cwd: ROOT });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describeBackend('redis', () =>
  describeBackend('postgres', () =>
    describeBackend('nats', () => {
      it('npm run shop -- --smoke: a checkout goes through six processes and everything stops cleanly', async () => {
        const { code, output } = await runShop();
        expect(output).toContain('checkout order-1: placed');
        expect(output).toContain('smoke: ok');
        for (const role of ['gateway', 'orders', 'payments', 'inventory-1', 'inventory-2', 'notifications'])
          expect(output).toContain(`stopped ${role}`);
        expect(code).toBe(0);
      }, 90_000);
    }),
  ),
);
