/** Tests are TypeScript, compiled by SWC (type checking is `tsc --noEmit` in `npm run lint`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFiles: ['<rootDir>/test/jest-setup.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/jest-after-env.ts'],
  testTimeout: 30000,
  // Several suites start twilio-run or a sandbox; two workers fit the 2-core machines we run on.
  maxWorkers: 2,
};
