/** The `Health` handler every service serves. */
import type { Runtime } from '../runtime.js';
import type { Server } from '../server/types.js';
import type { CallStats } from './stats.js';
import type { HealthReply } from './types.js';

export function healthHandler(
  info: { readonly service: string; readonly version: string; readonly server: Server; readonly runtime: Runtime },
  stats: CallStats,
) {
  const startedAt = info.runtime.clock.now();
  return {
    Check: (): HealthReply => ({
      status: 'serving',
      service: info.service,
      version: info.version,
      node: info.server.registration?.nodes[0]?.id ?? '',
      uptimeMs: info.runtime.clock.now() - startedAt,
      calls: stats.calls,
      errors: stats.errors,
      recent: stats.recent(),
    }),
  };
}
