/** @jest-environment node */
/**
 * The dev stack validated without Docker: docker-compose.yaml, the Alloy config, the backends' configs,
 * provisioning and dashboards must agree with each other and with the plugin, in the healthy stack and
 * with the incident switch (stack/incident.env). The demo service itself runs here against a fake OTLP
 * receiver standing in for Alloy's listeners.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseConfig } from '../../src/engine/config';
import { normalizeOptions } from '../../src/panels/telemetry-truth/options';
import {
  ROOT,
  alloyReferences,
  alloyStrings,
  hostPort,
  interpolate,
  isRecord,
  list,
  listFiles,
  parseAlloyComponents,
  parseEnvFile,
  read,
  readJson,
  readYaml,
  record,
} from './stackFiles';

const APP = record(readJson('src/plugin.json'), 'src/plugin.json');
const PANEL = record(readJson('src/panels/telemetry-truth/plugin.json'), 'panel plugin.json');
const INCIDENT_ENV = parseEnvFile(read('stack/incident.env'));
const MODES = { healthy: {}, incident: INCIDENT_ENV } as const;

function compose(env: Record<string, string>) {
  const doc = record(interpolate(readYaml('docker-compose.yaml'), env), 'docker-compose.yaml');
  return record(doc.services, 'services');
}
const service = (env: Record<string, string>, name: string) => record(compose(env)[name], `service ${name}`);
const environment = (svc: Record<string, unknown>) => record(svc.environment, 'environment');

const ALLOY = parseAlloyComponents(read('stack/alloy/config.alloy'));
const component = (type: string, label?: string) => {
  const found = ALLOY.filter((c) => c.type === type && (label === undefined || c.label === label));
  if (found.length === 0) {
    throw new Error(`Alloy config has no ${type}${label ? ` "${label}"` : ''}`);
  }
  return found;
};
/** Ports Alloy accepts OTLP/HTTP on. */
const alloyOtlpHttpPorts = () =>
  component('otelcol.receiver.otlp').flatMap((c) => {
    const http = /\bhttp\s*\{([^}]*)\}/.exec(c.body);
    return http ? alloyStrings(http[1], 'endpoint').map((e) => hostPort(e).port) : [];
  });

const backendConfig = (name: 'loki' | 'tempo' | 'mimir') =>
  record(readYaml(`stack/${name}/config.yaml`), `${name} config`);
const httpPortOf = (name: 'loki' | 'tempo' | 'mimir') =>
  Number(record(backendConfig(name).server, `${name}.server`).http_listen_port);

describe('docker-compose.yaml', () => {
  const services = compose({});

  it('extends the create-plugin base for Grafana and lets both the app and its nested panel load unsigned', () => {
    const grafana = record(services.grafana, 'grafana');
    expect(record(grafana.extends, 'extends')).toEqual({
      file: '.config/docker-compose-base.yaml',
      service: 'grafana',
    });
    const allowed = String(environment(grafana).GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).split(',');
    expect(allowed).toEqual(expect.arrayContaining([APP.id, PANEL.id]));
  });

  it('mounts the built plugin under the app id and the provisioning folder Grafana reads', () => {
    const base = record(record(readYaml('.config/docker-compose-base.yaml'), 'base').services, 'base services');
    const volumes = list(record(base.grafana, 'base grafana').volumes, 'volumes').map(String);
    expect(volumes).toContain(`../dist:/var/lib/grafana/plugins/${APP.id}`);
    expect(volumes).toContain('../provisioning:/etc/grafana/provisioning');
    // The includes entry of the app points at the nested panel that exists in src/.
    const includes = list(APP.includes, 'includes').map((i) => record(i, 'include'));
    const panelInclude = includes.find((i) => i.type === 'panel');
    expect(panelInclude?.path).toBe('panels/telemetry-truth/plugin.json');
    expect(existsSync(path.join(ROOT, 'src', String(panelInclude?.path)))).toBe(true);
    expect(PANEL).toMatchObject({ type: 'panel', skipDataQuery: true });
    expect(String(PANEL.id)).toMatch(/^scanium-telemetrytruth-panel$/);
  });

  it('pins every image, and the Grafana version is a variable defaulting to a concrete release', () => {
    for (const [name, svc] of Object.entries(services)) {
      const image = record(svc, name).image;
      if (image !== undefined) {
        expect(String(image)).toMatch(/^[\w./-]+:v?\d+\.\d+\.\d+$/);
      }
    }
    const args = record(record(record(services.grafana, 'grafana').build, 'build').args, 'args');
    expect(String(args.grafana_version)).toMatch(/^\d+\.\d+\.\d+$/);
    const seedArgs = record(record(service({ GRAFANA_VERSION: '10.3.1' }, 'grafana').build, 'build').args, 'args');
    expect(seedArgs.grafana_version).toBe('10.3.1');
    expect(read('stack/demo-service/Dockerfile')).toMatch(/^FROM node:\d+\.\d+\.\d+-alpine[\d.]*$/m);
  });

  it('mounts the repository configs that these tests read', () => {
    const mounts = (name: string) =>
      list(record(services[name], name).volumes, `${name}.volumes`).map((v) => String(v).split(':')[0]);
    expect(mounts('alloy')).toContain('./stack/alloy/config.alloy');
    expect(mounts('loki')).toContain('./stack/loki/config.yaml');
    expect(mounts('tempo')).toContain('./stack/tempo/config.yaml');
    expect(mounts('mimir')).toContain('./stack/mimir/config.yaml');
    expect(String(record(services['demo-service'], 'demo').build)).toBe('./stack/demo-service');
  });
});

describe('Alloy pipeline', () => {
  it('wires every reference to a component that exists', () => {
    const ids = new Set(ALLOY.map((c) => `${c.type}.${c.label}`));
    const refs = ALLOY.flatMap((c) => alloyReferences(c.body));
    expect(refs.length).toBeGreaterThan(5);
    expect(refs.filter((r) => !ids.has(r))).toEqual([]);
  });

  it('routes each OTLP signal from the receiver to the right backend', () => {
    const batch = component('otelcol.processor.batch', 'default')[0].body;
    expect(alloyReferences(/metrics\s*=\s*\[([^\]]*)\]/.exec(batch)![1])).toEqual([
      'otelcol.exporter.prometheus.mimir',
    ]);
    expect(alloyReferences(/logs\s*=\s*\[([^\]]*)\]/.exec(batch)![1])).toEqual(['otelcol.exporter.otlphttp.loki']);
    expect(alloyReferences(/traces\s*=\s*\[([^\]]*)\]/.exec(batch)![1])).toEqual(['otelcol.exporter.otlp.tempo']);
  });

  it('exports to the Compose service names and the ports the backends listen on', () => {
    const services = compose({});
    const loki = hostPort(alloyStrings(component('otelcol.exporter.otlphttp', 'loki')[0].body, 'endpoint')[0]);
    expect(loki).toEqual({ host: 'loki', port: httpPortOf('loki') });

    const tempo = hostPort(alloyStrings(component('otelcol.exporter.otlp', 'tempo')[0].body, 'endpoint')[0]);
    const tempoGrpc = record(
      record(record(record(backendConfig('tempo').distributor, 'd').receivers, 'r').otlp, 'o').protocols,
      'p'
    );
    expect(tempo).toEqual({ host: 'tempo', port: hostPort(String(record(tempoGrpc.grpc, 'grpc').endpoint)).port });

    const mimir = alloyStrings(component('prometheus.remote_write', 'mimir')[0].body, 'url')[0];
    expect(hostPort(mimir)).toEqual({ host: 'mimir', port: httpPortOf('mimir') });
    expect(new URL(mimir).pathname).toBe('/api/v1/push');

    for (const host of ['loki', 'tempo', 'mimir']) {
      expect(services).toHaveProperty(host);
    }
  });

  it('scrapes the demo service on the port it listens on, under the job the dashboards query', () => {
    const scrape = component('prometheus.scrape', 'demo_service')[0].body;
    const target = hostPort(alloyStrings(scrape, '__address__')[0]);
    const demo = service({}, 'demo-service');
    const published = list(demo.ports, 'ports').map((p) => Number(String(p).split(':').pop()));
    expect(target.host).toBe('demo-service');
    expect(published).toContain(target.port);
    expect(alloyStrings(scrape, 'job_name')).toEqual(['demo-service']);
  });
});

describe('the demo service and the incident switch', () => {
  it.each(Object.entries(MODES))(
    '%s: exports to Alloy only when healthy; logs and traces are off in the incident',
    (mode, env) => {
      const demo = environment(service(env, 'demo-service'));
      const target = hostPort(String(demo.OTEL_EXPORTER_OTLP_ENDPOINT));
      expect(target.host).toBe('alloy');
      if (mode === 'healthy') {
        expect(alloyOtlpHttpPorts()).toContain(target.port);
        expect(demo).toMatchObject({
          OTEL_LOGS_EXPORTER: 'otlp',
          OTEL_TRACES_EXPORTER: 'otlp',
          OTEL_METRICS_EXPORTER: 'otlp',
        });
      } else {
        expect(alloyOtlpHttpPorts()).not.toContain(target.port);
        expect(demo).toMatchObject({ OTEL_LOGS_EXPORTER: 'none', OTEL_TRACES_EXPORTER: 'none' });
      }
    }
  );

  /** Runs the real demo service with the Compose environment; a local receiver plays Alloy's OTLP listeners. */
  async function runDemo(env: Record<string, string>) {
    const received: Array<{ path: string; body: unknown }> = [];
    const receiver = http.createServer((req, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(text) });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const receiverPort = (receiver.address() as AddressInfo).port;
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));

    const composeEnv = environment(service(env, 'demo-service'));
    const target = hostPort(String(composeEnv.OTEL_EXPORTER_OTLP_ENDPOINT));
    // Alloy's listening ports go to the receiver; any other port is closed, as it would be on Alloy.
    const port = alloyOtlpHttpPorts().includes(target.port) ? receiverPort : closedPort;
     
    const { createDemo, readConfig } = require('../../stack/demo-service/server.js');
    const stdout: string[] = [];
    const demo = createDemo(
      readConfig({
        ...Object.fromEntries(Object.entries(composeEnv).map(([k, v]) => [k, String(v)])),
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        PORT: '0',
        OTEL_METRIC_EXPORT_INTERVAL: '3600000',
        DEMO_TRAFFIC_INTERVAL_MS: '0',
      }),
      { write: (line: string) => stdout.push(line) }
    );
    const demoPort = await demo.start();
    for (const p of ['/api/items', '/api/items/7', '/api/checkout']) {
      await fetch(`http://127.0.0.1:${demoPort}${p}`).then((r) => r.text());
    }
    const metrics = await fetch(`http://127.0.0.1:${demoPort}/metrics`).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 150)); // the handler records after responding
    await demo.stop();
    await new Promise<void>((r) => receiver.close(() => r()));
    return { received, stdout, metrics, exportStats: demo.exportStats };
  }

  it('healthy: sends OTLP metrics, logs and traces as demo-service and logs JSON to stdout', async () => {
    const run = await runDemo(MODES.healthy);
    expect(run.received.map((r) => r.path).sort()).toEqual(['/v1/logs', '/v1/metrics', '/v1/traces']);
    for (const { body } of run.received) {
      const resource = JSON.stringify(body);
      expect(resource).toContain('{"key":"service.name","value":{"stringValue":"demo-service"}}');
    }
    const traces = record(run.received.find((r) => r.path === '/v1/traces')!.body, 'traces');
    const spans = JSON.parse(JSON.stringify(traces)).resourceSpans[0].scopeSpans[0].spans;
    expect(spans[0].traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(spans[0].startTimeUnixNano).toMatch(/^\d{19}$/);
    const lines = run.stdout.map((l) => JSON.parse(l));
    // Like the seed's backend, the first line says where it exports, and which exporters are on.
    expect(lines[0]).toMatchObject({
      msg: expect.stringMatching(/^Exporting to: http:\/\/127\.0\.0\.1:\d+$/),
      logs_exporter: 'otlp',
      traces_exporter: 'otlp',
    });
    expect(lines.filter((l) => l.msg === 'request completed')).toHaveLength(3);
    expect(run.metrics).toMatch(/^demo_http_requests_total\{method="GET",route="\/api\/items",status_code="200"\} 1$/m);
  });

  it('incident: nothing reaches Alloy, the exporter failure shows on stdout, /metrics keeps working', async () => {
    const run = await runDemo(MODES.incident);
    expect(run.received).toEqual([]);
    expect(run.exportStats.failed).toBeGreaterThan(0);
    const lines = run.stdout.map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ logs_exporter: 'none', traces_exporter: 'none', metrics_exporter: 'otlp' });
    expect(lines.some((l) => l.msg === 'OTLP export failed')).toBe(true);
    // Only metrics were attempted: the log and trace exporters are off.
    expect(run.exportStats.lastError).toMatch(/^metrics: /);
    expect(run.metrics).toContain('demo_http_request_duration_seconds_bucket');
  });

  it('serves /metrics that promtool accepts', async () => {
    const promtool = '/usr/bin/promtool';
    if (!existsSync(promtool)) {
      throw new Error('promtool is not installed; it ships with Prometheus (apt install prometheus)');
    }
    const { metrics } = await runDemo(MODES.healthy);
    const check = spawnSync(promtool, ['check', 'metrics'], { input: metrics, encoding: 'utf8' });
    expect(check.stderr + check.stdout).toBe('');
    expect(check.status).toBe(0);
  });
});

describe('provisioning', () => {
  const datasources = list(
    record(readYaml('provisioning/datasources/datasources.yaml'), 'ds').datasources,
    'datasources'
  ).map((d) => record(d, 'datasource'));
  const uids = new Set(datasources.map((d) => String(d.uid)));

  it('provisions LOKI, TEMPO and MIMIR at the Compose services, Mimir with its /prometheus prefix', () => {
    const byUid = Object.fromEntries(datasources.map((d) => [String(d.uid), d]));
    expect(byUid.LOKI).toMatchObject({ type: 'loki' });
    expect(byUid.TEMPO).toMatchObject({ type: 'tempo' });
    expect(byUid.MIMIR).toMatchObject({
      type: 'prometheus',
      url: 'http://mimir:9009/prometheus',
      jsonData: { prometheusType: 'Mimir' },
    });
    for (const [uid, name] of [
      ['LOKI', 'loki'],
      ['TEMPO', 'tempo'],
      ['MIMIR', 'mimir'],
    ] as const) {
      expect(hostPort(String(byUid[uid].url))).toEqual({ host: name, port: httpPortOf(name) });
    }
    // Cross-links between datasources point at provisioned uids too.
    const linked = [...JSON.stringify(datasources).matchAll(/"datasourceUid":"([^"]+)"/g)].map((m) => m[1]);
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.filter((u) => !uids.has(u))).toEqual([]);
  });

  const apps = list(record(readYaml('provisioning/plugins/apps.yaml'), 'apps').apps, 'apps').map((a) =>
    record(a, 'app')
  );
  const app = apps.find((a) => a.type === APP.id)!;

  it('enables the app with expectations the engine accepts, and no secrets', () => {
    expect(app).toBeDefined();
    expect(app.disabled).toBe(false);
    expect(app).not.toHaveProperty('secureJsonData');
    // The scaffold's residue (apiUrl / apiKey: secret-key) is gone.
    expect(JSON.stringify(app)).not.toMatch(/apiKey|apiUrl|secret/i);
    const parsed = parseConfig(app.jsonData);
    if (!parsed.ok) {
      throw new Error(`apps.yaml jsonData rejected: ${JSON.stringify(parsed.errors)}`);
    }
    expect(parsed.config.services.map((s) => s.name)).toContain(
      String(environment(service({}, 'demo-service')).OTEL_SERVICE_NAME)
    );
    // Every datasource uid the config names is provisioned.
    const named = [...parsed.config.datasources.include, ...parsed.config.datasources.exclude];
    expect(named.filter((u) => !uids.has(u))).toEqual([]);
  });

  const provider = record(
    list(record(readYaml('provisioning/dashboards/dashboards.yaml'), 'p').providers, 'providers')[0],
    'provider'
  );
  const dashDir = String(record(provider.options, 'options').path).replace('/etc/grafana/provisioning', 'provisioning');
  const dashboards = listFiles(dashDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: f, json: record(readJson(`${dashDir}/${f}`), f) }));

  it('loads dashboards from the mounted provisioning folder: "Telemetry Truth" and a Backend Health', () => {
    expect(dashboards.map((d) => d.json.title).sort()).toEqual(['Backend Health (demo service)', 'Telemetry Truth']);
    const dashboardUids = dashboards.map((d) => d.json.uid);
    expect(new Set(dashboardUids).size).toBe(dashboardUids.length);
  });

  it('references datasources only by provisioned uids', () => {
    const refs: unknown[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) {
        node.forEach(walk);
      } else if (isRecord(node)) {
        if ('datasource' in node) {
          refs.push(node.datasource);
        }
        Object.values(node).forEach(walk);
      }
    };
    dashboards.forEach((d) => walk(d.json));
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      // A bare name string or a missing uid would bind to whatever datasource happens to have that name.
      expect(isRecord(ref) && typeof ref.uid === 'string' && uids.has(ref.uid)).toBe(true);
    }
  });

  it('puts the Telemetry Truth panel on both dashboards with valid options and expected services', () => {
    const parsed = parseConfig(app.jsonData);
    const expected = new Set(parsed.ok ? parsed.config.services.map((s) => s.name) : []);
    for (const { file, json } of dashboards) {
      const panels = list(json.panels, `${file} panels`).map((p) => record(p, 'panel'));
      const tt = panels.filter((p) => p.type === PANEL.id);
      expect(tt.length).toBeGreaterThan(0);
      for (const p of tt) {
        const options = record(p.options, 'options');
        expect(normalizeOptions(options)).toEqual(options);
        expect(list(options.services, 'services').filter((s) => !expected.has(String(s)))).toEqual([]);
      }
      if (json.title !== 'Telemetry Truth') {
        // Backend Health: the verdicts sit above everything else, compact.
        const top = panels.reduce((a, b) =>
          Number(record(a.gridPos, 'g').y) <= Number(record(b.gridPos, 'g').y) ? a : b
        );
        expect(top.type).toBe(PANEL.id);
        expect(record(top.options, 'o').layout).toBe('compact');
      }
    }
  });

  it('queries the demo service by the identities the pipeline gives it', () => {
    const backend = dashboards.find((d) => d.json.title !== 'Telemetry Truth')!.json;
    const text = JSON.stringify(backend);
    const name = String(environment(service({}, 'demo-service')).OTEL_SERVICE_NAME);
    // RED metrics come from the scrape job, logs carry service_name (Loki OTLP), traces resource.service.name.
    expect(text).toContain(`job=\\"${name}\\"`);
    expect(text).toContain(`{service_name=\\"${name}\\"}`);
    expect(text).toContain(`resource.service.name = \\"${name}\\"`);
    for (const metric of ['demo_http_requests_total', 'demo_http_request_duration_seconds_bucket']) {
      expect(text).toContain(metric);
    }
  });
});

describe('docker-compose config', () => {
  const binary = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find((p) => existsSync(p));
  // Debian's docker-compose 1.29 understands `extends: file:` and `--env-file`; without it there is nothing to run.
  (binary
    ? it.each(Object.entries({ healthy: [], incident: ['--env-file', 'stack/incident.env'] }))
    : it.skip.each([['no docker-compose binary', []]]))('%s: the Compose file parses and resolves', (_mode, args) => {
    const run = spawnSync(binary!, [...(args as string[]), 'config', '-q'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
