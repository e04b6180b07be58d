// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

// d3-color and friends ship only .mjs under @grafana/data 10.3, which the base transform pattern skips.
const swcTransform = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  ...base,
  testMatch: [
    ...base.testMatch,
    // The CLI and the integration tests against real Prometheus and the emulators live outside src/.
    '<rootDir>/cli/**/*.test.ts',
    '<rootDir>/tests/integration/**/*.test.ts',
  ],
  transform: {
    ...base.transform,
    '^.+\\.mjs$': swcTransform,
    '^.+\\.md$': '<rootDir>/jest/markdown-transform.js',
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'mjs', 'json', 'md'],
  transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, 'react-router-dom-v5-compat'])],
  watchPathIgnorePatterns: [...base.watchPathIgnorePatterns, '<rootDir>/dist-cli', '<rootDir>/tests/harness/.cache'],
};
