import type { Config } from 'jest';

// ts-jest in ESM mode; `.js` suffixes in imports (NodeNext) map back to the .ts sources.
const tsJest = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // Its ESM build imports JSON without an import attribute, which Jest warns about on every load.
    '^libphonenumber-js$': '<rootDir>/node_modules/libphonenumber-js/index.cjs',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/preload-nest.ts'],
} satisfies Config;

const config: Config = {
  ...tsJest,
  // One DynamoDB Local for the whole run; each test file creates its own table.
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  projects: [
    { ...tsJest, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    { ...tsJest, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.spec.ts'] },
    { ...tsJest, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'] },
    { ...tsJest, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.spec.ts'] },
  ],
};

export default config;
