/** Which service endpoint a request names: a configured route, else the generic RPC path. */
import type { GatewayConfig, ResolvedRoute } from './options.js';

export type Target =
  | { readonly type: 'route'; readonly route: ResolvedRoute; readonly key: string }
  | { readonly type: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly type: 'not-found' };

const RPC_PATH = /^\/([A-Za-z0-9][\w.-]*)\/([A-Za-z_]\w*\.[A-Za-z_]\w*)$/;

export function resolveTarget(config: GatewayConfig, method: string, path: string): Target {
  const bare = path.split('?', 1)[0] ?? path;
  const onPath = config.routes.filter((route) => route.path === bare);
  const exact = onPath.find((route) => route.method === method);
  if (exact) return { type: 'route', route: exact, key: `${exact.method} ${exact.path}` };
  const rpc = config.rpcPaths ? RPC_PATH.exec(bare) : null;
  if (rpc) {
    if (method !== 'POST') return { type: 'method-not-allowed', allowed: ['POST'] };
    const name = rpc[1] ?? '';
    const service = config.namespace === '' ? name : `${config.namespace}.${name}`;
    const route: ResolvedRoute = {
      method: 'POST',
      path: bare,
      service,
      endpoint: rpc[2] ?? '',
      stream: false,
      rateLimit: config.rateLimit,
      timeoutMs: config.timeoutMs,
    };
    return { type: 'route', route, key: `service ${service}` };
  }
  if (onPath.length > 0) return { type: 'method-not-allowed', allowed: onPath.map((route) => route.method) };
  return { type: 'not-found' };
}
