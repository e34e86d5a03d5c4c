/**
 * Runs in every test file after the test framework is installed (jest `setupFilesAfterEnv`), so its
 * hooks come before the file's own. A cold instance lists its registry directory after the request that
 * started it has been answered (src/registry/known-tenants.ts `listDirectory`); each file waits for such
 * a listing before its own teardown closes the sandbox it reads, instead of leaving it to fail after the
 * file has ended.
 */
import { listingsSettled } from '../src/registry/known-tenants';

afterAll(() => listingsSettled());
