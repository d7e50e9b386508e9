import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { loopback } from './test-helpers.js';

const transportModule = fileURLToPath(new URL('./index.ts', import.meta.url));

it('lets a client process exit once its connections are closed, without waiting for the idle timeout', async () => {
  const server = await loopback();
  let child: ReturnType<typeof spawn> | undefined;
  try {
    // The child dials, exchanges nothing, closes its connection and simply ends its script:
    // its pooled socket (idleTimeoutMs: one minute) must not hold the process open.
    const script = `
      import { tcpTransport } from ${JSON.stringify(transportModule)};
      const connection = await tcpTransport({ idleTimeoutMs: 60_000 }).dial(${JSON.stringify(server.listener.address)});
      connection.close();
      console.log('closed');`;
    child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = child;
    const code = await new Promise((resolve) => exited.once('exit', resolve));
    expect({ code, output: output.trim() }).toEqual({ code: 0, output: 'closed' });
  } finally {
    if (child?.exitCode === null) child.kill(); // only if the assertion above already failed
    await server.stop();
  }
});
