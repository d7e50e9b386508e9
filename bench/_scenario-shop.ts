// The bench/scenario workload as a scenario module (workers load it by file): the shop under
// 100 checkouts per second, stock plentiful so every checkout takes the full path.
import { defineScenario } from '@microcosm-ts/core/sim';
import { DEFAULT_SHOP_OPTIONS, shopSystem } from '../examples/shop/system.js';

const minutes = Number(process.env.MICROCOSM_BENCH_MINUTES ?? 10);

export default defineScenario({
  name: 'shop at 100 checkouts/s',
  system: shopSystem,
  options: { ...DEFAULT_SHOP_OPTIONS, fencing: true, skus: 10, stock: 1_000_000, latencyMs: 2, warehouseMs: 5 },
  workload: [{ op: 'checkout', rate: '100/s', keys: { count: 10, prefix: 'sku-', distribution: 'uniform' } }],
  invariants: ['no-oversell', 'no-double-charge'],
  duration: minutes * 60_000,
});
