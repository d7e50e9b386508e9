// Property tests start from one fixed seed, so `npm test` is reproducible run to run (and a CI
// failure replays exactly). Explore new cases with FC_SEED=random, or pin another with FC_SEED=N.
import fc from 'fast-check';

const chosen = process.env.FC_SEED ?? '20261125';
if (chosen !== 'random') {
  const seed = Number(chosen);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", got "${chosen}"`);
  fc.configureGlobal({ seed });
}
