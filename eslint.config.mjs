import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      '**/coverage',
      '**/dist/',
      '**/dist-cli/',
      '**/artifacts/',
      '**/work/',
      '**/ci/',
      'test-results/',
      // e2e harness: cached shell bundles of Grafana's shared modules, the current line's install, outputs
      'tests/harness/.cache/',
      'tests/harness/.output/',
      'tests/harness/.screenshots/',
      'tests/harness/lines/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.idea',
      '**/.eslintcache',
    ],
  },
  ...baseConfig,
  {
    // The base config only names src/**; the CLI, the emulators, worlds, harness and scripts are
    // product code too and get the same rules (flat config lints .ts only where `files` says so).
    files: ['cli/**/*.ts', 'tests/**/*.{ts,tsx}', 'scripts/**/*.ts'],
    rules: {
      'react-hooks/rules-of-hooks': 'off',
    },
  },
]);
