/**
 * `npm run demo` — click through the real production build without Docker or Grafana.
 *
 *   npm run demo [-- --world healthy] [--port 3001] [--line 10.3|current] [--discovery]
 *
 * Builds dist/ if it is missing, starts an emulated world (tests/worlds: the seed incident by default, with the
 * real Prometheus and the Loki/Tempo/Grafana-API emulators) and the e2e harness host (tests/harness/server.ts),
 * which loads dist/module.js the way Grafana does, on the chosen Grafana line's shared modules. Prints the URLs
 * and stays up until Ctrl-C. This is NOT Grafana: see tests/README.md for what differs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isLineName, LINES, type LineName } from '../tests/harness/lines';
import { startHarnessServer, PLUGIN_ID } from '../tests/harness/server';
import { startWorld, WORLD_NAMES, type WorldName } from '../tests/worlds';
import { PROMETHEUS_BIN } from '../tests/support/prometheus';

const repo = join(__dirname, '..');

function arg(name: string): string | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) {
      return args[i + 1];
    }
    if (args[i].startsWith(`--${name}=`)) {
      return args[i].slice(name.length + 3);
    }
  }
  return undefined;
}

function fail(msg: string): never {
  process.stderr.write(`demo: ${msg}\n`);
  process.exit(2);
}

function run(cmd: string, args: string[]) {
  process.stderr.write(`demo: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', process.stderr, process.stderr], cwd: repo });
  if (r.status !== 0) {
    fail(`"${cmd} ${args.join(' ')}" failed`);
  }
}

async function main() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(
      `usage: npm run demo -- [--world <${WORLD_NAMES.join('|')}>] [--port 3001] [--line 10.3|current] [--discovery]\n`
    );
    return;
  }
  const worldName = arg('world') ?? 'seed-incident';
  if (!(WORLD_NAMES as readonly string[]).includes(worldName)) {
    fail(`unknown world "${worldName}"; one of: ${WORLD_NAMES.join(', ')}`);
  }
  const lineArg = arg('line') ?? '10.3';
  if (!isLineName(lineArg)) {
    fail(`--line must be 10.3 or current, not "${lineArg}"`);
  }
  const line: LineName = lineArg;
  const port = Number(arg('port') ?? 3001);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    fail(`--port must be a port number`);
  }

  if (!existsSync(join(repo, 'dist', 'module.js'))) {
    run('npm', ['run', 'build']);
  }
  if (line === 'current' && !existsSync(join(LINES.current.root, 'node_modules', '@grafana', 'ui'))) {
    run('npm', ['ci', '--prefix', 'tests/harness/lines/current', '--no-audit', '--no-fund', '--ignore-scripts']);
  }

  process.stderr.write(`demo: starting the "${worldName}" world…\n`);
  // A bare machine has no Prometheus binary: the demo still runs, on the labelled Prometheus emulator
  // (tests use the real one; .ci/run installs it).
  const realPrometheus = existsSync(PROMETHEUS_BIN);
  if (!realPrometheus) {
    process.stderr.write(
      `demo: no Prometheus at ${PROMETHEUS_BIN} ("apt-get install prometheus" for the real one); using the Prometheus emulator.\n`
    );
  }
  const world = await startWorld(worldName as WorldName, realPrometheus ? {} : { usePrometheus: false });
  if (!process.argv.includes('--discovery')) {
    // Like the seed stack's provisioning (provisioning/plugins/apps.yaml): the world's services are expected.
    await fetch(`${world.grafanaUrl}/api/plugins/${PLUGIN_ID}/settings`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(world.token ? { Authorization: `Bearer ${world.token}` } : {}) },
      body: JSON.stringify({ enabled: true, pinned: true, jsonData: { services: world.expectedServices.map((name) => ({ name })) } }),
    });
  }
  const server = await startHarnessServer({ line, grafanaUrl: world.grafanaUrl, token: world.token, port });
  const u = (path: string) => `${server.url}${path}`;
  const first = world.expectedServices[0] ?? 'scanium-backend';
  process.stdout.write(
    [
      ``,
      `Telemetry Truth demo — world "${world.name}": ${world.description}`,
      `Harness host on the ${LINES[line].label} (@grafana/ui ${server.grafanaVersion}); this is not Grafana.`,
      ``,
      `  Overview        ${u(`/a/${PLUGIN_ID}/truth`)}`,
      `  Light theme     ${u(`/a/${PLUGIN_ID}/truth?theme=light`)}`,
      `  A drawer        ${u(`/a/${PLUGIN_ID}/truth?service=${encodeURIComponent(first)}&signal=logs`)}`,
      `  Runbooks        ${u(`/a/${PLUGIN_ID}/runbooks`)}`,
      `  A runbook       ${u(`/a/${PLUGIN_ID}/runbooks/TT-LOGS-EMPTY`)}`,
      `  Panel (grid)    ${u(`/harness/panel?width=640&height=240&options=${encodeURIComponent('{"layout":"grid","showCodes":true}')}`)}`,
      `  Panel (compact) ${u(`/harness/panel?width=300&height=100&options=${encodeURIComponent('{"layout":"compact"}')}`)}`,
      `  Configuration   ${u(`/plugins/${PLUGIN_ID}?page=configuration`)}`,
      ``,
      `Add ?theme=light or ?role=Viewer to any URL. Ctrl-C stops the demo.`,
      ``,
    ].join('\n')
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stderr.write('\ndemo: stopping…\n');
    await server.close();
    await world.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
