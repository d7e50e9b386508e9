// Test isolation for NATS: every test gets its own subject prefix / stream / bucket names.
let counter = 0;

/** A prefix no other test (or earlier run) uses: dot-free letters and digits. */
export function uniquePrefix(kind: string): string {
  counter += 1;
  return `mctest_${kind}_${process.pid}_${counter}_${Date.now().toString(36)}`;
}
