/** Jest runs TypeScript sources directly (swc transform); type checking is tsc's job. */
const shared = {
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  moduleNameMapper: {
    '^@gpsim/contracts$': '<rootDir>/contracts/src/index.ts',
    '^@gpsim/contracts/(.*)$': '<rootDir>/contracts/src/$1',
    '^@gpsim/simulator$': '<rootDir>/simulator/src/index.ts',
    '^@gpsim/simulator/(.*)$': '<rootDir>/simulator/src/$1',
    '^@gpsim/client$': '<rootDir>/client-sdk/src/index.ts',
    '^@gpsim/client/(.*)$': '<rootDir>/client-sdk/src/$1',
    // The client SDK's sources import siblings as ./x.js (what its ESM build needs); jest reads the .ts.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  // msw depends on a few ESM-only packages; swc compiles them to CommonJS like the sources.
  transformIgnorePatterns: ['/node_modules/(?!(until-async|outvariant|strict-event-emitter|@mswjs|headers-polyfill)/)'],
  testEnvironment: 'node',
  rootDir: __dirname,
};

// Tests that start real servers (and browsers) wait on process start-up, which a loaded CI machine
// can stretch past jest's 5 s default; a hang still fails, after 30 s.
const serverTimeout = 30_000;

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'contract',
      testTimeout: serverTimeout,
      testMatch: ['<rootDir>/test/contract/**/*.test.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testTimeout: serverTimeout,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
    // Browser tests: the console in Debian's chromium (/usr/bin/chromium, installed by .ci/run).
    { ...shared, displayName: 'e2e', testTimeout: serverTimeout, testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
};
