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
      it('npm run shop -- --smoke: checkouts over HTTP through six processes, 429s under a burst, the CLI on its registry', async () => {
        const { code, output } = await runShop();
        expect(output).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/checkout order-1: 200 \{"status":"placed"/);
        expect(output).toMatch(/burst of 40 checkouts: \{[^}]*"429":\d+/);
        expect(output).toMatch(/microcosm services \(exit 0\)/);
        expect(output).toContain(
          'microcosm call gateway Gateway.Checkout (exit 0): {"status":"placed","orderId":"cli-1"}',
        );
        expect(output).toContain('smoke: ok');
        for (const role of ['gateway', 'orders', 'payments', 'inventory-1', 'inventory-2', 'notifications'])
          expect(output).toContain(`stopped ${role}`);
        expect(code).toBe(0);
      }, 240_000); // six processes start on a loaded 2-core machine, then two CLI runs
    }),
  ),
);
