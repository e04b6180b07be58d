#!/usr/bin/env node
// Pre-step of `npm run e2e:harness`: make sure both Grafana lines and the build exist.
//  - the current line's packages: `npm ci --prefix tests/harness/lines/current` when missing or when its
//    package-lock.json changed since the last install;
//  - dist/: `npm run build` only when dist/module.js is missing (CI's test-all builds just before).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const lineDir = join(here, 'lines', 'current');
const stamp = join(lineDir, 'node_modules', '.harness-lock-hash');
const lockHash = createHash('sha256').update(readFileSync(join(lineDir, 'package-lock.json'))).digest('hex');

function run(cmd, args) {
  process.stdout.write(`e2e:harness: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: repo });
  if (r.status !== 0) {
    process.exit(r.status ?? 1);
  }
}

if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lockHash) {
  run('npm', ['ci', '--prefix', 'tests/harness/lines/current', '--no-audit', '--no-fund', '--ignore-scripts']);
  writeFileSync(stamp, lockHash);
}
if (!existsSync(join(repo, 'dist', 'module.js'))) {
  run('npm', ['run', 'build']);
}
