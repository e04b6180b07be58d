/**
 * Real-browser end-to-end specs against the HARNESS host (tests/harness/server.ts), on two Grafana lines.
 * Run: `npm run e2e:harness` (needs `npm run build` and `npm ci --prefix tests/harness/lines/current`).
 * Chromium is Debian's (/usr/bin/chromium, override with CHROMIUM_PATH), driven by @playwright/test.
 */
import { defineConfig } from '@playwright/test';
import { join } from 'node:path';
import type { HarnessOptions } from './fixtures';

const repoRoot = join(__dirname, '..', '..');

export default defineConfig<HarnessOptions>({
  testDir: './specs',
  // Playwright empties this folder at the start of a run; set HARNESS_OUTPUT_DIR to keep parallel runs apart.
  outputDir: process.env.HARNESS_OUTPUT_DIR ?? './.output',
  // The machine is shared (2 cores): one browser at a time; each world costs a Prometheus.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: join(repoRoot, '.test-results', 'harness.json') }]],
  use: {
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
  },
  projects: [
    { name: 'grafana-10.3', use: { line: '10.3' } },
    { name: 'grafana-current', use: { line: 'current' } },
  ],
});
