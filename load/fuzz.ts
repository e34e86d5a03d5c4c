/**
 * `npm run load:fuzz`: the property suites at their full counts, each from a fresh seed. `npm test`
 * runs the same properties on a fixed-seed share of the inputs (test/helpers/property-runs.ts); this is
 * the wider search for new failures. A failure prints fast-check's seed and shrunk input, which replay
 * it. The suites are found by what they import, so a new property suite joins without a list to keep.
 * Extra arguments go to jest. Not part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const TEST_ROOT = path.join(__dirname, '..', 'test');

function propertySuites(): string[] {
  return readdirSync(TEST_ROOT, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts'))
    .filter((file) => readFileSync(path.join(TEST_ROOT, file), 'utf8').includes('/property-runs'))
    .map((file) => path.join('test', file))
    .sort();
}

const suites = propertySuites();
console.error(`load:fuzz: ${suites.length} property suites at full counts, fresh seeds`);
const jest = require.resolve('jest/bin/jest');
const run = spawnSync(process.execPath, [jest, '--runInBand', ...suites, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, PROPERTY_RUNS: 'full' },
});
process.exit(run.status ?? 1);
