/** A selector that skips nodes a health checker found unhealthy (on top of the call's own exclusions). */
import type { Selector } from '../selector/types.js';
import type { HealthChecker } from './checker.js';

export function healthySelector(selector: Selector, checker: Pick<HealthChecker, 'isHealthy'>): Selector {
  return {
    select(service, options = {}) {
      const exclude = options.exclude;
      return selector.select(service, {
        ...options,
        exclude: (node) => !checker.isHealthy(node.id) || (exclude?.(node) ?? false),
      });
    },
    close: () => selector.close(),
  };
}
