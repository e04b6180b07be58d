/**
 * @jest-environment node
 *
 * The CLI end to end against the test worlds (Grafana API emulator in front of real Prometheus and
 * the Loki/Tempo emulators). `main` runs in-process with the real global fetch; one test spawns the
 * BUILT binary. Each describe starts its own world and stops it afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Report } from '../src/engine/model';
import { startGrafanaEmulator } from '../tests/emulators/grafana';
import { startWorld, World, WorldName, WorldOptions } from '../tests/worlds';
import { EXIT } from './exit';
import { main } from './main';
import { reportSchemaErrors } from './report-schema';

jest.setTimeout(60_000);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

async function cli(argv: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const started = Date.now();
  const code = await main(argv, {
    env,
    stdout: { write: (s: string) => out.push(s), isTTY: false },
    stderr: { write: (s: string) => err.push(s) },
  });
  return { code, stdout: out.join(''), stderr: err.join(''), ms: Date.now() - started };
}

function serviceFlags(world: World): string[] {
  return world.expectedServices.flatMap((s) => ['--service', s]);
}

async function checkJson(world: World, extra: string[] = [], env: Record<string, string | undefined> = {}) {
  const run = await cli(
    ['check', '--grafana-url', world.grafanaUrl, ...serviceFlags(world), '--format', 'json', ...extra],
    env
  );
  let report: Report | undefined;
  if (run.stdout) {
    report = JSON.parse(run.stdout) as Report;
  }
  return { ...run, report };
}

function cellOf(report: Report | undefined, service: string, signal: 'metrics' | 'logs' | 'traces') {
  const cell = report?.services.find((s) => s.name === service)?.signals[signal];
  if (!cell) {
    throw new Error(`no ${signal} cell for ${service}`);
  }
  return cell;
}

function withWorld(name: WorldName, opts: WorldOptions, body: (get: () => World) => void) {
  describe(`world ${name}`, () => {
    let world: World;
    beforeAll(async () => {
      world = await startWorld(name, { heartbeatMs: 0, ...opts });
    });
    afterAll(async () => {
      await world?.stop();
    });
    body(() => world);
  });
}

withWorld('healthy', {}, (get) => {
  it('exits 0 with every cell ok, and the JSON validates against docs/report.schema.json', async () => {
    const run = await checkJson(get());
    expect(run.stderr).not.toContain('internal error');
    expect(run.code).toBe(EXIT.ok);
    expect(reportSchemaErrors(run.report)).toEqual([]);
    expect(run.report!.verdict).toBe('pass');
    for (const svc of get().expectedServices) {
      for (const signal of ['metrics', 'logs', 'traces'] as const) {
        expect([svc, signal, cellOf(run.report, svc, signal).status]).toEqual([svc, signal, 'ok']);
      }
    }
    // Progress went to stderr, the report alone to stdout.
    expect(run.stderr).toContain('Grafana');
  });

  it('renders a JUnit report with one passing testcase per service × signal', async () => {
    const run = await cli(['check', '--grafana-url', get().grafanaUrl, ...serviceFlags(get()), '--format', 'junit']);
    expect(run.code).toBe(EXIT.ok);
    const n = get().expectedServices.length * 3;
    expect(run.stdout).toContain(`<testsuites name="telemetry-truth" tests="${n}" failures="0" errors="0" skipped="0"`);
  });

  it('without --service runs in discovery mode: lists what each signal sees and exits 0', async () => {
    const run = await cli(['check', '--grafana-url', get().grafanaUrl, '--format', 'json']);
    expect(run.code).toBe(EXIT.ok);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.mode).toBe('discovery');
    expect(report.services.map((s) => s.name)).toEqual(expect.arrayContaining(get().expectedServices));
    expect(report.services.every((s) => !s.expected)).toBe(true);
    expect(run.stderr).toContain('discovery mode');
  });

  it('checks the same backends in direct mode, without Grafana', async () => {
    const w = get();
    const flags = w.datasources.flatMap((d) => [`--${d.type}`, w.directUrls[d.uid]]);
    const run = await cli(['check', ...flags, ...serviceFlags(w), '--format', 'json']);
    expect(run.code).toBe(EXIT.ok);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.datasources.map((d) => d.uid).sort()).toEqual([
      'direct-loki-1',
      'direct-prometheus-1',
      'direct-tempo-1',
    ]);
    expect(reportSchemaErrors(report)).toEqual([]);
  });
});

withWorld('seed-incident', {}, (get) => {
  it('exits 1: metrics ok, logs and traces failing for scanium-backend with their codes and runbooks', async () => {
    const run = await checkJson(get());
    expect(run.code).toBe(EXIT.notOk);
    expect(reportSchemaErrors(run.report)).toEqual([]);
    expect(cellOf(run.report, 'scanium-backend', 'metrics').status).toBe('ok');
    const logs = cellOf(run.report, 'scanium-backend', 'logs');
    const traces = cellOf(run.report, 'scanium-backend', 'traces');
    expect([logs.status, logs.code]).toEqual(['empty', 'TT-LOGS-EMPTY']);
    expect([traces.status, traces.code]).toEqual(['empty', 'TT-TRACES-EMPTY']);
    expect(logs.runbook).toBe(`${get().grafanaUrl}/a/scanium-telemetrytruth-app/runbooks/TT-LOGS-EMPTY`);
  });

  it('prints the true verdicts as text, and the Markdown names each failure', async () => {
    const text = await cli(['check', '--grafana-url', get().grafanaUrl, '--service', 'scanium-backend']);
    expect(text.code).toBe(EXIT.notOk);
    expect(text.stdout).toMatch(/^scanium-backend +ok \S+ +empty +empty$/m);
    expect(text.stdout).not.toContain('\u001b[');
    const md = await cli([
      'check',
      '--grafana-url',
      get().grafanaUrl,
      '--service',
      'scanium-backend',
      '--format',
      'markdown',
    ]);
    expect(md.stdout).toContain('### scanium-backend · logs: empty (TT-LOGS-EMPTY)');
    expect(md.stdout).toContain('### scanium-backend · traces: empty (TT-TRACES-EMPTY)');
  });

  it('with a Viewer token behind a Grafana that requires auth: full report, token sent but never printed', async () => {
    const token = 'glsa_viewer_Secret_4711_for_tests';
    const grafana = await startGrafanaEmulator({
      datasources: get().grafana.datasources,
      tokens: { [token]: 'Viewer' },
      requireAuth: true,
    });
    try {
      for (const format of ['text', 'json', 'markdown', 'junit']) {
        const run = await cli(
          ['check', '--grafana-url', grafana.url, '--service', 'scanium-backend', '--format', format],
          { GRAFANA_TOKEN: token }
        );
        expect([format, run.code]).toEqual([format, EXIT.notOk]);
        expect(run.stdout).toContain('TT-LOGS-EMPTY');
        expect(run.stdout + run.stderr).not.toContain(token);
      }
      // A Viewer lists datasources from /api/frontend/settings; every call carried the token.
      expect(grafana.requests.some((r) => r.path === '/api/datasources')).toBe(false);
      expect(grafana.requests.every((r) => r.path === '/api/health' || r.status !== 401)).toBe(true);
      expect(grafana.proxyRequests().length).toBeGreaterThan(0);
    } finally {
      await grafana.close();
    }
  });

  it('the built binary prints the report on stdout and exits 1', async () => {
    const root = resolve(__dirname, '..');
    const bin = join(root, 'dist-cli', 'telemetry-truth.js');
    if (!existsSync(bin)) {
      const build = spawnSync('npm', ['run', 'build:cli'], { cwd: root, encoding: 'utf8' });
      expect(build.status).toBe(0);
    }
    const dir = await mkdtemp(join(tmpdir(), 'tt-cli-'));
    try {
      const child = spawn(
        process.execPath,
        [
          bin,
          'check',
          '--grafana-url',
          get().grafanaUrl,
          '--service',
          'scanium-backend',
          '--format',
          'json',
          '--out',
          join(dir, 'r.json'),
        ],
        {
          env: { PATH: process.env.PATH, FORCE_COLOR: '1' },
        }
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect({ code, stderr: code === 1 ? '' : stderr }).toEqual({ code: 1, stderr: '' });
      // --out got the JSON; stdout the text report, coloured because FORCE_COLOR=1.
      const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as Report;
      expect(reportSchemaErrors(report)).toEqual([]);
      expect(cellOf(report, 'scanium-backend', 'logs').status).toBe('empty');
      expect(stdout).toContain('\u001b[');
      expect(stdout).toContain('TT-LOGS-EMPTY');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

withWorld('logs-other-services', { usePrometheus: false }, (get) => {
  it('says missing and names the label that would match', async () => {
    const run = await checkJson(get());
    expect(run.code).toBe(EXIT.notOk);
    const logs = cellOf(run.report, 'scanium-backend', 'logs');
    expect(logs.status).toBe('missing');
    expect(logs.alternativeIdentity?.label).toBe('source');
    expect(logs.message).toContain('source');
    expect(cellOf(run.report, 'checkout', 'logs').status).toBe('ok');
  });

  it('reads a YAML config file with a per-service identity, and flags override its freshness', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tt-cfg-'));
    try {
      const file = join(dir, 'telemetry-truth.yaml');
      await writeFile(
        file,
        'services:\n  - name: scanium-backend\n    identity:\n      logs: source\n  - checkout\nfreshness:\n  logs: 1s\n'
      );
      const run = await cli([
        'check',
        '--grafana-url',
        get().grafanaUrl,
        '--config',
        file,
        '--freshness',
        'logs=10m',
        '--format',
        'json',
      ]);
      expect(run.stderr).not.toContain('invalid configuration');
      const report = JSON.parse(run.stdout) as Report;
      expect(report.services.filter((s) => s.expected).map((s) => s.name)).toEqual(['scanium-backend', 'checkout']);
      expect(cellOf(report, 'scanium-backend', 'logs').status).toBe('ok');
      expect(report.freshnessSeconds.logs).toBe(600);
      expect(run.code).toBe(EXIT.ok);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--identity logs=source finds scanium-backend under the label its stack really uses', async () => {
    const run = await cli([
      'check',
      '--grafana-url',
      get().grafanaUrl,
      '--service',
      'scanium-backend',
      '--identity',
      'logs=source',
      '--format',
      'json',
    ]);
    const report = JSON.parse(run.stdout) as Report;
    expect(cellOf(report, 'scanium-backend', 'logs').status).toBe('ok');
    expect(cellOf(report, 'scanium-backend', 'logs').query).toBe('{source="scanium-backend"}');
  });
});

withWorld('stale-logs', { usePrometheus: false }, (get) => {
  it('says stale and how old', async () => {
    const run = await checkJson(get());
    expect(run.code).toBe(EXIT.notOk);
    const logs = cellOf(run.report, 'scanium-backend', 'logs');
    expect(logs.status).toBe('stale');
    expect(logs.ageSeconds).toBeGreaterThan(3 * 3600 - 120);
    expect(logs.ageSeconds).toBeLessThan(3 * 3600 + 600);
    expect(cellOf(run.report, 'scanium-backend', 'metrics').status).toBe('ok');
  });
});

withWorld('tempo-v1', { usePrometheus: false }, (get) => {
  it('reads Tempo v1 plain-string tag values: traces ok', async () => {
    const run = await checkJson(get());
    expect(cellOf(run.report, 'scanium-backend', 'traces').status).toBe('ok');
    expect(run.code).toBe(EXIT.ok);
  });
});

withWorld('proxy-502', { usePrometheus: false }, (get) => {
  it('says unreachable for logs (not "no data") and keeps the other verdicts', async () => {
    const run = await checkJson(get());
    expect(run.code).toBe(EXIT.notOk);
    expect(cellOf(run.report, 'scanium-backend', 'logs').status).toBe('unreachable');
    expect(cellOf(run.report, 'scanium-backend', 'metrics').status).toBe('ok');
    expect(cellOf(run.report, 'scanium-backend', 'traces').status).toBe('ok');
  });
});

for (const name of ['html-error', 'truncated-json'] as const) {
  withWorld(name, { usePrometheus: false }, (get) => {
    it('says error for logs, naming what came back', async () => {
      const run = await checkJson(get());
      expect(run.code).toBe(EXIT.notOk);
      const logs = cellOf(run.report, 'scanium-backend', 'logs');
      expect(logs.status).toBe('error');
      expect(logs.code).toMatch(/^TT-ERROR/);
      expect(cellOf(run.report, 'scanium-backend', 'metrics').status).toBe('ok');
    });
  });
}

withWorld('token-rejected', { usePrometheus: false }, (get) => {
  it('exits 3 and never prints the token, in any format', async () => {
    const token = get().token!;
    expect(token).toBeTruthy();
    for (const format of ['text', 'json', 'markdown', 'junit']) {
      const run = await cli(
        ['check', '--grafana-url', get().grafanaUrl, '--service', 'scanium-backend', '--format', format],
        { GRAFANA_TOKEN: token }
      );
      expect(run.code).toBe(EXIT.grafana);
      expect(run.stderr).toContain('Grafana rejected the token');
      expect(run.stdout + run.stderr).not.toContain(token);
    }
  });
});

withWorld('hung', { usePrometheus: false }, (get) => {
  it('delivers the report within the timeout plus a margin, with the other verdicts intact', async () => {
    const run = await checkJson(get(), ['--timeout', '2s']);
    expect(run.ms).toBeLessThan(2000 + 3000);
    expect(run.code).toBe(EXIT.notOk);
    expect(cellOf(run.report, 'scanium-backend', 'traces').status).toBe('unreachable');
    expect(cellOf(run.report, 'scanium-backend', 'metrics').status).toBe('ok');
    expect(cellOf(run.report, 'scanium-backend', 'logs').status).toBe('ok');
  });
});

withWorld('quotes', {}, (get) => {
  it('checks names with quotes, backslashes and regex metacharacters correctly in every backend', async () => {
    const run = await checkJson(get());
    expect(reportSchemaErrors(run.report)).toEqual([]);
    for (const svc of get().expectedServices) {
      for (const signal of ['metrics', 'logs', 'traces'] as const) {
        expect([svc, signal, cellOf(run.report, svc, signal).status]).toEqual([svc, signal, 'ok']);
      }
    }
    expect(run.code).toBe(EXIT.ok);
    // The JUnit and Markdown renderings of those names stay well-formed.
    const junit = await cli(['check', '--grafana-url', get().grafanaUrl, ...serviceFlags(get()), '--format', 'junit']);
    expect(junit.stdout).toContain('name="we&quot;ird\\svc.*"');
  });

  it("each cell's query, run as is against its backend (real Prometheus), returns that service's data and no other", async () => {
    const w = get();
    const run = await checkJson(w);
    const url = (uid: string, path: string, params: Record<string, string>) =>
      `${w.directUrls[uid]}/${path}?${new URLSearchParams(params).toString()}`;
    const nowS = Math.floor(Date.now() / 1000);
    for (const svc of w.expectedServices) {
      const [m, l, t] = (['metrics', 'logs', 'traces'] as const).map((s) => cellOf(run.report, svc, s).query ?? '');
      const prom = (await (await fetch(url('MIMIR', 'api/v1/query', { query: m, time: String(nowS) }))).json()) as {
        data: { result: Array<{ metric: Record<string, string> }> };
      };
      expect([svc, m, prom.data.result.map((r: { metric: Record<string, string> }) => r.metric.job)]).toEqual([
        svc,
        m,
        [svc],
      ]);
      const range = { start: String((nowS - 3600) * 1e9), end: String((nowS + 60) * 1e9) };
      const loki = (await (
        await fetch(url('LOKI', 'loki/api/v1/query_range', { query: l, limit: '5', ...range }))
      ).json()) as { data: { result: Array<{ stream: Record<string, string> }> } };
      const streams = loki.data.result.map((r: { stream: Record<string, string> }) => r.stream.service_name);
      expect([svc, l, streams.length > 0 && streams.every((n: string) => n === svc)]).toEqual([svc, l, true]);
      const tempo = (await (
        await fetch(url('TEMPO', 'api/search', { q: t, start: String(nowS - 3600), end: String(nowS + 60) }))
      ).json()) as { traces?: Array<{ rootServiceName: string }> };
      const roots = (tempo.traces ?? []).map((x: { rootServiceName: string }) => x.rootServiceName);
      expect([svc, t, roots.length > 0 && roots.every((n: string) => n === svc)]).toEqual([svc, t, true]);
    }
    // The batched queries that dated them are kept once per datasource.
    expect(run.report!.datasources.map((d) => [d.uid, (d.queries ?? []).length > 0])).toEqual([
      ['MIMIR', true],
      ['LOKI', true],
      ['TEMPO', true],
    ]);
  });
});
