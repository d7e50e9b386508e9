import type { MicroService } from '@microcosm-ts/core';
import { simTest } from '@microcosm-ts/core/vitest';
import { describe, expect } from 'vitest';
import { Greeter, type HelloReply } from './greeter.js';

// The same Greeter class, started by the one-call preset instead of hand-wired sim nodes.
const system = {
  services: {
    greeter: {
      replicas: 2,
      setup: (service: MicroService) =>
        void service.handle('Greeter', new Greeter(() => service.server.address ?? 'not started')),
    },
  },
};

describe('greeter, with the simTest preset', () => {
  simTest.seeds(3)('answers while one replica is crashed', system, async ({ cluster }) => {
    cluster.sim.crash('greeter-1');
    const reply = await cluster.client.call<HelloReply>(
      'greeter',
      'Greeter.Hello',
      { name: 'preset' },
      { attemptTimeoutMs: 100 },
    );
    expect(reply.message).toBe('Hello, preset');
    expect(reply.from).toContain('greeter-2');
  });
});
