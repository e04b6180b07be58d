/** @jest-environment node */
/**
 * The provisioned Backend Health dashboard's PromQL, run by a REAL Prometheus against the demo service's
 * own /metrics, labelled the way Alloy's scrape labels them (job from stack/alloy/config.alloy). Catches
 * syntax errors, wrong metric or label names, and a scrape job that the dashboards do not query.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPrometheus, type PromSeries, type RealPrometheus } from '../support/prometheus';
import { alloyStrings, isRecord, list, parseAlloyComponents, read, readJson, record } from './stackFiles';

jest.setTimeout(60_000);

/** `name{a="b",...} value` lines of the Prometheus text format (what the demo service writes). */
function parseExposition(text: string): Array<{ labels: Record<string, string>; value: number }> {
  const out: Array<{ labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m || line.startsWith('#')) {
      continue;
    }
    const labels: Record<string, string> = { __name__: m[1] };
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]] = l[2].replace(/\\(.)/g, '$1');
    }
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

let prom: RealPrometheus;
const scrape = parseAlloyComponents(read('stack/alloy/config.alloy')).find(
  (c) => c.type === 'prometheus.scrape' && c.label === 'demo_service'
)!;
const job = alloyStrings(scrape.body, 'job_name')[0];

beforeAll(async () => {
  prom = await startPrometheus();
   
  const { createDemo, readConfig } = require('../../stack/demo-service/server.js');
  const demo = createDemo(
    readConfig({
      PORT: '0',
      DEMO_TRAFFIC_INTERVAL_MS: '0',
      DEMO_CHECKOUT_ERROR_RATIO: '1',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_TRACES_EXPORTER: 'none',
    }),
    {
      write: () => true,
    }
  );
  const port = await demo.start();
  const hit = (path: string) => fetch(`http://127.0.0.1:${port}${path}`).then((r) => r.text());
  // Three scrapes 15 s apart (timestamps assigned, as the scrape would), with traffic in between.
  const now = Date.now();
  const series = new Map<string, PromSeries>();
  for (const [i, at] of [now - 30_000, now - 15_000, now].entries()) {
    for (let n = 0; n < 6 + i * 4; n++) {
      await hit(['/api/items', '/api/items/3', '/api/checkout'][n % 3]);
    }
    await new Promise((r) => setTimeout(r, 150)); // handlers record after responding
    for (const s of parseExposition(await hit('/metrics'))) {
      const labels = { ...s.labels, job, instance: 'demo-service:8080' };
      const key = JSON.stringify(labels);
      const entry: PromSeries = series.get(key) ?? { labels, samples: [] };
      entry.samples.push([at, s.value]);
      series.set(key, entry);
    }
  }
  await demo.stop();
  await prom.write([...series.values()]);
});
afterAll(() => prom?.stop());

const dashboard = record(readJson('provisioning/dashboards/json/backend-health.json'), 'backend-health');
const promTargets = list(dashboard.panels, 'panels')
  .map((p) => record(p, 'panel'))
  .filter((p) => isRecord(p.datasource) && p.datasource.uid === 'MIMIR')
  .flatMap((p) =>
    list(p.targets, 'targets').map((t) => ({ panel: String(p.title), expr: String(record(t, 'target').expr) }))
  );

it('the dashboard has RED panels on Mimir, and they query the scrape job', () => {
  expect(promTargets.map((t) => t.panel)).toEqual(['Request rate', 'Error ratio (5xx)', 'Duration p95']);
  for (const t of promTargets) {
    expect(t.expr).toContain(`job="${job}"`);
  }
});

it.each(promTargets.map((t) => [t.panel, t.expr]))('%s: Prometheus answers with data', async (_panel, expr) => {
  // Grafana replaces $__rate_interval with at least 4 × the scrape interval (15 s here).
  const body = await prom.query(expr.replace(/\$__rate_interval/g, '1m'));
  const result = record(body, 'query response');
  expect(result.status).toBe('success');
  const data = record(result.data, 'data');
  const samples = list(data.result, 'result').map((r) => Number(list(record(r, 'sample').value, 'value')[1]));
  expect(samples.length).toBeGreaterThan(0);
  // Every checkout failed and took time: each RED panel shows a positive value, not just a series.
  expect(Math.max(...samples)).toBeGreaterThan(0);
});

it('serves the demo service metrics over a plain HTTP server as Alloy would scrape them', async () => {
  // Guard for the parser above: a real exposition line with escaped quotes round-trips.
  const server = http.createServer((_req, res) => res.end('x_total{route="/a\\"b"} 3\n'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const text = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`).then((r) => r.text());
  await new Promise<void>((r) => server.close(() => r()));
  expect(parseExposition(text)).toEqual([{ labels: { __name__: 'x_total', route: '/a"b' }, value: 3 }]);
});
