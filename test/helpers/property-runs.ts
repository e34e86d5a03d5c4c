/**
 * How many generated inputs a property test draws, and from which seed.
 *
 * `npm test` draws the `quick` count from a fixed seed: the same inputs on every run, so a failure
 * seen once is seen again, and the suite's length does not depend on luck or on how many generated
 * requests happen to need a slow path (an unknown AccountSid waits for the next directory listing,
 * src/registry/known-tenants.ts). `npm run load:fuzz` sets PROPERTY_RUNS=full: the `full` count from a
 * fresh seed each time, the search for new failures. Either way fast-check prints the seed and the
 * shrunk input of a failure, and `fc.assert(..., { seed, path })` replays it
 * (https://fast-check.dev/docs/tutorials/quick-start/read-test-reports/).
 */
/** The seed `npm test` draws from: any fixed number does, this one is not special. */
export const QUICK_SEED = 20_241_206;

export const fullPropertyRuns = (): boolean => process.env.PROPERTY_RUNS === 'full';

export function propertyRuns(counts: { quick: number; full: number }): { numRuns: number; seed?: number } {
  return fullPropertyRuns() ? { numRuns: counts.full } : { numRuns: counts.quick, seed: QUICK_SEED };
}
