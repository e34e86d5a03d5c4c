/** Tests are TypeScript, compiled by SWC (type checking is `tsc --noEmit` in `npm run lint`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // The test runtime helper loads Twilio's dev runtime by its file path, which the package's `exports`
  // map does not list; Jest honours `exports`, so point it at the files directly.
  moduleNameMapper: {
    '^@twilio/runtime-handler/dist/(.*)$': '<rootDir>/node_modules/@twilio/runtime-handler/dist/$1',
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 30000,
  // Several suites start twilio-run or a sandbox; two workers fit the 2-core machines we run on.
  maxWorkers: 2,
};
