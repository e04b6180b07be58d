#!/usr/bin/env node
// The README's test command: every check CI runs, in order, with one closing count.
// Each stage is an npm script; stages whose script does not exist yet are reported, not hidden.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const stages = [
  { script: 'typecheck' },
  { script: 'lint' },
  { script: 'build' },
  { script: 'build:cli' },
  { script: 'test:ci', args: ['--json', '--outputFile=.test-results/jest.json'], results: '.test-results/jest.json' },
  { script: 'e2e:harness', results: '.test-results/harness.json' },
];

mkdirSync('.test-results', { recursive: true });
let passed = 0;
let failed = 0;
const failures = [];

for (const stage of stages) {
  if (!pkg.scripts[stage.script]) {
    process.stdout.write(`\n=== ${stage.script}: no such npm script, skipped\n`);
    continue;
  }
  process.stdout.write(`\n=== npm run ${stage.script}\n`);
  const args = ['run', stage.script, ...(stage.args ? ['--', ...stage.args] : [])];
  const started = Date.now();
  const run = spawnSync('npm', args, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const counts = stage.results ? readCounts(stage.results) : null;
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
  } else {
    // A stage without a test report counts as one check.
    run.status === 0 ? passed++ : failed++;
  }
  if (run.status !== 0) {
    failures.push(stage.script);
    if (counts && counts.failed === 0) {
      failed++;
    } // it failed without a failing test: count the stage
  }
  process.stdout.write(`=== ${stage.script}: ${run.status === 0 ? 'ok' : 'FAILED'} in ${seconds}s\n`);
}

function readCounts(file) {
  if (!existsSync(file)) {
    return null;
  }
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    // jest --json and our harness reporter share these field names.
    if (typeof r.numPassedTests === 'number') {
      return { passed: r.numPassedTests, failed: r.numFailedTests };
    }
    if (r.stats) {
      return { passed: r.stats.expected ?? 0, failed: (r.stats.unexpected ?? 0) + (r.stats.flaky ?? 0) };
    }
  } catch {
    return null;
  }
  return null;
}

process.stdout.write(`\nFailed stages: ${failures.length ? failures.join(', ') : 'none'}\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failures.length ? 1 : 0);
