/** @jest-environment node */
/**
 * The emulators must reproduce the documented shapes and traps (backend-apis.md §1–4, §6), and the
 * real-Prometheus harness must hold fresh and old data that real queries see. If one of these
 * fails, the engine's integration tests would be testing against a fiction.
 */
import { startFaultServer, type FaultServer } from '../emulators/faults';
import { startGrafanaEmulator, type GrafanaEmulator } from '../emulators/grafana';
import { closedPort } from '../emulators/http';
import { startLokiEmulator, type LokiEmulator } from '../emulators/loki';
import { startPrometheusEmulator, type PrometheusEmulator } from '../emulators/prometheus';
import { startTempoEmulator, type TempoEmulator, type TempoTrace } from '../emulators/tempo';
import { startPrometheus, type PromSeries, type RealPrometheus } from '../support/prometheus';
import { startWorld, type World } from '../worlds';

const NOW = Date.now();
const nowS = Math.floor(NOW / 1000);
const ns = (ms: number) => BigInt(ms) * 1_000_000n;

async function get(url: string, init?: RequestInit): Promise<{ status: number; type: string; text: string; json: () => any }> {
  const r = await fetch(url, init);
  const text = await r.text();
  return { status: r.status, type: r.headers.get('content-type') ?? '', text, json: () => JSON.parse(text) };
}

function q(params: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
}

describe('Loki emulator', () => {
  let loki: LokiEmulator;
  let old: LokiEmulator;
  beforeAll(async () => {
    loki = await startLokiEmulator({
      version: '3.5.1',
      maxQuerySeries: 3,
      streams: [
        { labels: { service_name: 'checkout', level: 'info' }, entries: [[ns(NOW - 60_000), 'GET /cart 200'], [ns(NOW - 5_000), 'GET /cart 500']] },
        { labels: { service_name: 'cart' }, entries: [[ns(NOW - 3 * 3_600_000), 'old line']] },
        { labels: { source: 'scanium-backend', env: 'dev' }, entries: [[ns(NOW - 10_000), 'level=info msg="docker line"']] },
        { labels: { service_name: 'a' }, entries: [[ns(NOW - 1_000), 'x']] },
        { labels: { service_name: 'b' }, entries: [[ns(NOW - 1_000), 'x']] },
      ],
    });
    old = await startLokiEmulator({ version: '2.9.3', authEnabled: true });
  });
  afterAll(async () => {
    await loki.close();
    await old.close();
  });

  it('omits the data key of labels and label values when there is nothing (loki#4927)', async () => {
    const window = q({ start: nowS - 3600, end: nowS });
    const labels = await get(`${old.url}/loki/api/v1/labels?${window}`, { headers: { 'X-Scope-OrgID': 'fake' } });
    expect(labels.status).toBe(200);
    expect(labels.json()).toEqual({ status: 'success' });
    const values = await get(`${old.url}/loki/api/v1/label/service_name/values?${window}`, { headers: { 'X-Scope-OrgID': 'fake' } });
    expect(values.json()).toEqual({ status: 'success' });
    const series = await get(`${old.url}/loki/api/v1/series?${window}&match[]={service_name=~".+"}`, { headers: { 'X-Scope-OrgID': 'fake' } });
    expect(series.json()).toEqual({ status: 'success', data: [] });
  });

  it('answers 401 "no org id" as text when auth is enabled and the tenant header is missing', async () => {
    const r = await get(`${old.url}/loki/api/v1/labels`);
    expect(r.status).toBe(401);
    expect(r.type).toContain('text/plain');
    expect(r.text.trim()).toBe('no org id');
  });

  it('lists labels and values in the window, honours the query selector, and derives service_name on 3.x', async () => {
    const window = q({ start: nowS - 3600, end: nowS });
    expect((await get(`${loki.url}/loki/api/v1/labels?${window}`)).json().data).toEqual(['env', 'level', 'service_name', 'source']);
    const values = (await get(`${loki.url}/loki/api/v1/label/service_name/values?${window}`)).json().data;
    // 3.x copies no service/app/…/job from {source,env}: the docker stream becomes unknown_service; cart is older than the window.
    expect(values).toEqual(['a', 'b', 'checkout', 'unknown_service']);
    const filtered = await get(`${loki.url}/loki/api/v1/label/service_name/values?${window}&${q({ query: '{level="info"}' })}`);
    expect(filtered.json().data).toEqual(['checkout']);
    const sources = await get(`${loki.url}/loki/api/v1/label/source/values?${q({ start: nowS - 86400, end: nowS })}`);
    expect(sources.json().data).toEqual(['scanium-backend']);
  });

  it('returns the newest line first as an ns string with direction=backward&limit=1', async () => {
    const r = await get(`${loki.url}/loki/api/v1/query_range?${q({ query: '{service_name="checkout"}', limit: 1, direction: 'backward', start: nowS - 3600, end: nowS + 1 })}`);
    const body = r.json();
    expect(body.data.resultType).toBe('streams');
    expect(body.data.result).toHaveLength(1);
    expect(body.data.result[0].stream).toEqual({ level: 'info', service_name: 'checkout' });
    expect(body.data.result[0].values).toEqual([[ns(NOW - 5_000).toString(), 'GET /cart 500']]);
    const fwd = await get(`${loki.url}/loki/api/v1/query_range?${q({ query: '{service_name="checkout"} |= "200"', limit: 5, direction: 'forward', start: nowS - 3600, end: nowS + 1 })}`);
    expect(fwd.json().data.result[0].values.map((v: string[]) => v[1])).toEqual(['GET /cart 200']);
  });

  it('reads a 13-digit millisecond start as nanoseconds (a 1970 window), silently', async () => {
    const r = await get(`${loki.url}/loki/api/v1/query_range?${q({ query: '{service_name="checkout"}', start: (nowS - 3600) * 1000, end: nowS * 1000 })}`);
    expect(r.status).toBe(200);
    expect(r.json().data.result).toEqual([]);
  });

  it('rejects selectors without a non-empty matcher with the real 400 text', async () => {
    const r = await get(`${loki.url}/loki/api/v1/query_range?${q({ query: '{service_name=~".*"}' })}`);
    expect(r.status).toBe(400);
    expect(r.type).toContain('text/plain');
    expect(r.text).toBe(
      'parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will'
    );
  });

  it('refuses instant log queries from 3.2 on, and returns empty streams on 2.9', async () => {
    const r = await get(`${loki.url}/loki/api/v1/query?${q({ query: '{service_name="checkout"}' })}`);
    expect(r.status).toBe(400);
    expect(r.text).toBe('log queries are not supported as an instant query type, please change your query to a range query type');
    const o = await get(`${old.url}/loki/api/v1/query?${q({ query: '{service_name="checkout"}' })}`, { headers: { 'X-Scope-OrgID': 'fake' } });
    expect(o.status).toBe(200);
    expect(o.json().data).toMatchObject({ resultType: 'streams', result: [] });
  });

  it('evaluates per-service metric queries and enforces max_query_series with the real text', async () => {
    const inst = await get(`${loki.url}/loki/api/v1/query?${q({ query: 'sum by (service_name) (count_over_time({service_name=~"checkout|cart"}[5m]))', time: nowS })}`);
    expect(inst.json().data).toEqual({
      resultType: 'vector',
      result: [{ metric: { service_name: 'checkout' }, value: [nowS, '2'] }],
      stats: expect.any(Object),
    });
    const range = await get(
      `${loki.url}/loki/api/v1/query_range?${q({ query: 'max by (service_name) (count_over_time({service_name="cart"}[1h]))', start: nowS - 4 * 3600, end: nowS, step: 3600 })}`
    );
    const m = range.json().data;
    expect(m.resultType).toBe('matrix');
    expect(m.result).toHaveLength(1);
    expect(m.result[0].values).toHaveLength(1);
    expect(typeof m.result[0].values[0][0]).toBe('number');
    expect(m.result[0].values[0][1]).toBe('1');
    const tooMany = await get(`${loki.url}/loki/api/v1/query?${q({ query: 'count_over_time({service_name=~".+"}[5m])', time: nowS })}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toBe('maximum of series (3) reached for a single query');
  });

  it('serves index/volume from 3.1 on and 404s on 2.9 (volume disabled by default)', async () => {
    const params = q({ query: '{service_name=~".+"}', start: nowS - 3600, end: nowS });
    const v = await get(`${loki.url}/loki/api/v1/index/volume?${params}`);
    expect(v.status).toBe(200);
    expect(v.json().data.result.map((r: { metric: Record<string, string> }) => r.metric.service_name).sort()).toEqual(['a', 'b', 'checkout', 'unknown_service']);
    const o = await get(`${old.url}/loki/api/v1/index/volume?${params}`, { headers: { 'X-Scope-OrgID': 'fake' } });
    expect(o.status).toBe(404);
  });

  it('serves bare buildinfo and /ready', async () => {
    expect((await get(`${loki.url}/loki/api/v1/status/buildinfo`)).json()).toMatchObject({ version: '3.5.1' });
    expect((await get(`${loki.url}/ready`)).text.trim()).toBe('ready');
  });
});

describe('Tempo emulator', () => {
  let tempo: TempoEmulator;
  let v1: TempoEmulator;
  let newer: TempoEmulator;
  const trace = (service: string, agoMs: number, durationMs = 12, id = ''): TempoTrace => ({
    traceID: (id || service.replace(/[^a-f0-9]/g, 'a') + agoMs.toString(16)).padStart(32, '0').slice(-32),
    rootServiceName: service,
    rootTraceName: 'GET /health',
    startNs: ns(NOW - agoMs),
    durationMs,
    resource: { 'service.name': service },
  });
  beforeAll(async () => {
    const traces = [trace('checkout', 2 * 3_600_000), trace('checkout', 60_000, 0.4), trace('cart', 30_000), trace('checkout', 120_000)];
    tempo = await startTempoEmulator({ version: '2.7.0', traces });
    v1 = await startTempoEmulator({ version: '1.5.0', traces });
    newer = await startTempoEmulator({ version: '2.9.0', traces });
  });
  afterAll(async () => {
    await tempo.close();
    await v1.close();
    await newer.close();
  });
  const win = () => q({ start: nowS - 3 * 3600, end: nowS + 1 });

  it('v1 tag values are plain strings; the scoped name is a literal there and finds nothing', async () => {
    expect((await get(`${tempo.url}/api/search/tag/service.name/values?${win()}`)).json().tagValues).toEqual(['cart', 'checkout']);
    const scoped = await get(`${tempo.url}/api/search/tag/resource.service.name/values?${win()}`);
    expect(scoped.status).toBe(200);
    expect(scoped.json()).toEqual({});
  });

  it('v2 tag values are {type,value} objects and the unscoped name is a 400', async () => {
    expect((await get(`${tempo.url}/api/v2/search/tag/resource.service.name/values?${win()}`)).json().tagValues).toEqual([
      { type: 'string', value: 'cart' },
      { type: 'string', value: 'checkout' },
    ]);
    const bad = await get(`${tempo.url}/api/v2/search/tag/service.name/values?${win()}`);
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('text/plain');
    expect(bad.text).toMatch(/^please provide a valid tagName: .*unknown identifier: service/);
  });

  it('without start/end only recent (ingester) data is searched', async () => {
    const recent = await get(`${tempo.url}/api/search?${q({ q: '{ resource.service.name = "checkout" }' })}`);
    expect(recent.json().traces).toHaveLength(2);
    const windowed = await get(`${tempo.url}/api/search?${q({ q: '{ resource.service.name = "checkout" }' })}&${win()}`);
    expect(windowed.json().traces).toHaveLength(3);
  });

  it('search encodes like jsonpb: string ns, no durationMs under 1 ms, no traces key when none', async () => {
    const r = (await get(`${newer.url}/api/search?${q({ q: '{ resource.service.name =~ "check.*" } with (most_recent=true)', limit: 5 })}&${win()}`)).json();
    expect(r.traces.map((t: { startTimeUnixNano: string }) => t.startTimeUnixNano)).toEqual(
      [60_000, 120_000, 2 * 3_600_000].map((a) => ns(NOW - a).toString())
    );
    expect(r.traces[0]).not.toHaveProperty('durationMs');
    expect(r.traces[1].durationMs).toBe(12);
    const none = (await get(`${tempo.url}/api/search?${q({ q: '{ resource.service.name = "nope" }' })}&${win()}`)).json();
    expect(none).not.toHaveProperty('traces');
    expect(none).toHaveProperty('metrics');
  });

  it('rejects millisecond start with the real ParseUint text', async () => {
    const r = await get(`${tempo.url}/api/search?${q({ q: '{}', start: (nowS - 3600) * 1000, end: nowS * 1000 })}`);
    expect(r.status).toBe(400);
    expect(r.text).toBe(`invalid start: strconv.ParseUint: parsing "${(nowS - 3600) * 1000}": value out of range`);
  });

  it('applies version gates: most_recent needs 2.8, v2 routes and buildinfo 404 on 1.5', async () => {
    expect((await get(`${tempo.url}/api/search?${q({ q: '{} with (most_recent=true)' })}`)).status).toBe(400);
    expect((await get(`${tempo.url}/api/status/buildinfo`)).json()).toMatchObject({ version: '2.7.0' });
    expect((await get(`${v1.url}/api/status/buildinfo`)).status).toBe(404);
    expect((await get(`${v1.url}/api/v2/search/tag/resource.service.name/values?${win()}`)).status).toBe(404);
    expect((await get(`${v1.url}/api/search/tag/service.name/values?${win()}`)).json().tagValues).toEqual(['cart', 'checkout']);
    expect((await get(`${v1.url}/api/echo`)).text).toBe('echo');
  });

  it('on 1.5 ignores TraceQL `q` (every trace matches) while `tags=` filters by substring', async () => {
    const all = (await get(`${v1.url}/api/search?${q({ q: '{ resource.service.name = "cart" }', limit: 50 })}&${win()}`)).json();
    expect(new Set(all.traces.map((t: { rootServiceName: string }) => t.rootServiceName))).toEqual(new Set(['cart', 'checkout']));
    const tagged = (await get(`${v1.url}/api/search?${q({ tags: 'service.name=car', limit: 50 })}&${win()}`)).json();
    expect(tagged.traces.map((t: { rootServiceName: string }) => t.rootServiceName)).toEqual(['cart']);
    expect((await get(`${tempo.url}/api/search?${q({ q: '{}', tags: 'service.name=cart' })}`)).status).toBe(400);
  });
});

describe('Grafana emulator and its proxy', () => {
  let grafana: GrafanaEmulator;
  let loki: LokiEmulator;
  let prom: PrometheusEmulator;
  let hang: FaultServer;
  let html: FaultServer;
  let limited: FaultServer;
  let stalled: FaultServer;
  beforeAll(async () => {
    stalled = await startFaultServer('headers-then-hang');
    loki = await startLokiEmulator({ version: '2.9.3', authEnabled: true });
    prom = await startPrometheusEmulator({ series: [{ labels: { __name__: 'up', job: 'checkout' }, samples: [[NOW - 10_000, 1]] }] });
    hang = await startFaultServer('hang');
    html = await startFaultServer('html');
    limited = await startFaultServer('status', { status: 429 });
    grafana = await startGrafanaEmulator({
      tokens: { good: 'Admin', viewer: 'Viewer' },
      datasources: [
        { uid: 'prom', name: 'Prom', type: 'prometheus', url: prom.apiUrl },
        { uid: 'loki-noauth', name: 'Loki', type: 'loki', url: loki.url },
        { uid: 'loki-tenant', name: 'Loki tenant', type: 'loki', url: loki.url, headers: { 'X-Scope-OrgID': 'fake' } },
        { uid: 'down', name: 'Down', type: 'loki', url: `http://127.0.0.1:${await closedPort()}` },
        { uid: 'slow', name: 'Slow', type: 'tempo', url: hang.url, proxyTimeoutMs: 300 },
        { uid: 'html', name: 'Html', type: 'loki', url: html.url },
        { uid: 'limited', name: 'Limited', type: 'loki', url: limited.url },
        { uid: 'stalled', name: 'Stalled', type: 'tempo', url: stalled.url, proxyTimeoutMs: 300 },
      ],
    });
  });
  afterAll(async () => {
    await Promise.all([grafana.close(), loki.close(), prom.close(), hang.close(), html.close(), limited.close(), stalled.close()]);
  });
  const px = (uid: string, path: string) => `${grafana.url}/api/datasources/proxy/uid/${uid}/${path}`;

  it('forwards to the data source with its headers and passes the body through', async () => {
    const r = await get(px('loki-tenant', 'loki/api/v1/labels'));
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ status: 'success' });
    const p = await get(px('prom', `api/v1/query?${q({ query: 'up', time: nowS })}`));
    expect(p.json().data.result[0].metric).toEqual({ __name__: 'up', job: 'checkout' });
  });

  it('rewrites an upstream 401 to 400 "Authentication to data source failed" (text)', async () => {
    const r = await get(px('loki-noauth', 'loki/api/v1/labels'));
    expect(r.status).toBe(400);
    expect(r.type).toContain('text/plain');
    expect(r.text).toBe('Authentication to data source failed');
  });

  it('answers 502 with an EMPTY body when the upstream refuses the connection', async () => {
    const r = await get(px('down', 'loki/api/v1/labels'));
    expect(r.status).toBe(502);
    expect(r.text).toBe('');
  });

  it('answers 504 with an empty body when the upstream exceeds the proxy timeout', async () => {
    const t0 = Date.now();
    const r = await get(px('slow', 'api/echo'));
    expect(r.status).toBe(504);
    expect(r.text).toBe('');
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('passes headers through and then hangs with an upstream that never sends the body', async () => {
    const ctl = new AbortController();
    const r = await fetch(px('stalled', 'api/echo'), { signal: ctl.signal });
    expect(r.status).toBe(200);
    const body = r.text();
    setTimeout(() => ctl.abort(), 200);
    await expect(body).rejects.toThrow();
  });

  it('runs data source health checks that prove reachability only', async () => {
    const ok = await get(`${grafana.url}/api/datasources/uid/prom/health`);
    expect(ok.status).toBe(200);
    expect(ok.json()).toEqual({ status: 'OK', message: 'Successfully queried the Prometheus API.' });
    const down = await get(`${grafana.url}/api/datasources/uid/down/health`);
    expect(down.status).toBe(400);
    expect(down.json().status).toBe('ERROR');
  });

  it('passes HTML login pages and 429s through unchanged', async () => {
    const h = await get(px('html', 'loki/api/v1/labels'));
    expect(h.status).toBe(200);
    expect(h.type).toContain('text/html');
    expect(h.text).toContain('<form');
    const l = await get(px('limited', 'loki/api/v1/labels'));
    expect(l.status).toBe(429);
    expect(l.text.trim()).toBe('Too Many Requests');
  });

  it('404s an unknown uid and 403s a Prometheus POST to a non-allow-listed path', async () => {
    const u = await get(px('nope', 'api/v1/query'));
    expect(u.status).toBe(404);
    expect(u.json()).toEqual({ message: 'Unable to find datasource' });
    const post = await get(px('prom', 'api/v1/status/buildinfo'), { method: 'POST' });
    expect(post.status).toBe(403);
    const allowed = await get(px('prom', 'api/v1/query'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: q({ query: 'up', time: nowS }),
    });
    expect(allowed.status).toBe(200);
    expect(allowed.json().data.result).toHaveLength(1);
  });

  it('checks bearer tokens and roles', async () => {
    expect((await get(`${grafana.url}/api/user`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await get(`${grafana.url}/api/user`, { headers: { Authorization: 'Bearer wrong' } })).json()).toEqual({ message: 'Unauthorized' });
    const viewerList = await get(`${grafana.url}/api/datasources`, { headers: { Authorization: 'Bearer viewer' } });
    expect(viewerList.status).toBe(403);
    const adminList = await get(`${grafana.url}/api/datasources`, { headers: { Authorization: 'Bearer good' } });
    expect(adminList.json().map((d: { uid: string }) => d.uid)).toContain('prom');
    const settings = (await get(`${grafana.url}/api/frontend/settings`, { headers: { Authorization: 'Bearer viewer' } })).json();
    expect(settings.datasources.Prom).toMatchObject({ uid: 'prom', type: 'prometheus', url: '/api/datasources/proxy/uid/prom' });
    expect((await get(`${grafana.url}/api/health`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(200);
  });

  it('stores plugin settings and records every request', async () => {
    grafana.resetRequests();
    const post = await get(`${grafana.url}/api/plugins/scanium-telemetrytruth-app/settings`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ enabled: true, jsonData: { services: [{ name: 'checkout' }] } }),
    });
    expect(post.status).toBe(200);
    const s = (await get(`${grafana.url}/api/plugins/scanium-telemetrytruth-app/settings`)).json();
    expect(s.jsonData).toEqual({ services: [{ name: 'checkout' }] });
    await get(px('prom', `api/v1/query?${q({ query: 'up' })}`));
    expect(grafana.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /api/plugins/scanium-telemetrytruth-app/settings 200',
      'GET /api/plugins/scanium-telemetrytruth-app/settings 200',
      'GET /api/datasources/proxy/uid/prom/api/v1/query 200',
    ]);
    expect(grafana.proxyRequests('prom')).toHaveLength(1);
    expect(grafana.proxyRequests('prom')[0].query).toBe('query=up');
  });

  it('injects latency on proxied requests', async () => {
    grafana.setLatency(150);
    const t0 = Date.now();
    await get(px('prom', 'api/v1/status/buildinfo'));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    grafana.setLatency(0);
  });
});

describe('Prometheus emulator', () => {
  it('answers the PromQL subset the engine uses, with the 5 m lookback', async () => {
    const prom = await startPrometheusEmulator({
      series: [
        { labels: { __name__: 'up', job: 'fresh' }, samples: [[NOW - 20_000, 1]] },
        { labels: { __name__: 'up', job: 'old' }, samples: [[NOW - 3 * 3_600_000, 1]] },
      ],
    });
    try {
      const inst = await get(`${prom.url}/api/v1/query?${q({ query: 'max by (job) (timestamp({job=~"fresh|old"}))', time: NOW / 1000 })}`);
      expect(inst.json().data.result).toEqual([{ metric: { job: 'fresh' }, value: [NOW / 1000, String((NOW - 20_000) / 1000)] }]);
      const sub = await get(`${prom.url}/api/v1/query?${q({ query: 'max by (job) (max_over_time(timestamp({job="old"})[1d:1m]))', time: NOW / 1000 })}`);
      expect(sub.json().data.result).toHaveLength(1);
      const bad = await get(`${prom.url}/api/v1/query?${q({ query: '{job=~".*"}' })}`);
      expect(bad.status).toBe(400);
      expect(bad.json()).toMatchObject({ status: 'error', errorType: 'bad_data' });
      expect((await get(`${prom.url}/api/v1/series`)).json()).toEqual({ status: 'error', errorType: 'bad_data', error: 'no match[] parameter provided' });
    } finally {
      await prom.close();
    }
  });
});

describe('Prometheus emulator parity with the real Prometheus', () => {
  let real: RealPrometheus;
  let emu: PrometheusEmulator;
  const t = Math.floor(NOW / 1000);
  const data: PromSeries[] = [
    // Two metrics per job: timestamp() drops __name__, so these collide like in any real deployment.
    { labels: { __name__: 'up', job: 'fresh', instance: 'a' }, samples: [[NOW - 40_000, 1], [NOW - 10_000, 1]] as Array<[number, number]> },
    { labels: { __name__: 'process_cpu_seconds_total', job: 'fresh', instance: 'a' }, samples: [[NOW - 40_000, 1], [NOW - 10_000, 2]] as Array<[number, number]> },
    { labels: { __name__: 'up', job: 'stale', instance: 'b' }, samples: [[NOW - 3 * 3_600_000 - 60_000, 1], [NOW - 3 * 3_600_000, 1]] as Array<[number, number]> },
    { labels: { __name__: 'target_info', job: 'we"ird\\svc.*' }, samples: [[NOW - 5_000, 1]] as Array<[number, number]> },
  ];
  beforeAll(async () => {
    real = await startPrometheus();
    await real.write(data);
    emu = await startPrometheusEmulator({ series: data });
  }, 60_000);
  afterAll(async () => {
    await real?.stop();
    await emu?.close();
  });

  const queries = [
    'max by (job) (timestamp({job=~"fresh|stale"}))',
    'max by (job) (timestamp(up{job=~"fresh|stale"}))',
    'max by (job) (max_over_time(timestamp(label_replace({job=~"fresh|stale"}, "tt_name", "$1", "__name__", "(.+)"))[1d:5m]))',
    'max by (job) (max_over_time(timestamp(label_replace({job=~"fresh|stale"}, "tt_name", "$1", "__name__", "(.+)"))[5m:15s]))',
    'count by (job) ({job=~".+"})',
    // The engine's bucketed freshness forms (newest sample's bucket via timestamp() of a step-evaluated aggregate).
    'max by (job) (max_over_time(timestamp(count by (job) (last_over_time({job=~"fresh|stale"}[15s])))[300s:15s]))',
    'max by (job) (max_over_time(timestamp(count by (job) (last_over_time({job=~"fresh|stale"}[300s])))[86400s:300s]))',
    'max (max_over_time(timestamp(count (last_over_time({job="stale"}[300s])))[86400s:300s]))',
    'max by (job) (timestamp({job="we\\"ird\\\\svc.*"}))',
    'time() - max by (job) (timestamp(up))',
    '{job=~".*"}',
  ];
  it.each(queries)('answers %s like Prometheus 2.42', async (query) => {
    const params = q({ query, time: t });
    const [a, b] = await Promise.all([get(`${real.url}/api/v1/query?${params}`), get(`${emu.url}/api/v1/query?${params}`)]);
    const norm = (r: { status: number; json: () => any }) => {
      const j = r.json();
      if (j.status !== 'success') {
        return { status: r.status, errorType: j.errorType };
      }
      return {
        status: r.status,
        result: j.data.result.map((x: any) => ({ metric: x.metric, value: x.value })).sort((m: any, n: any) => JSON.stringify(m.metric).localeCompare(JSON.stringify(n.metric))),
      };
    };
    const expected = norm(a);
    // A comparison of two empty answers proves nothing: every query here selects data on the real side.
    if (expected.status === 200) {
      expect(expected.result.length).toBeGreaterThan(0);
    }
    expect(norm(b)).toEqual(expected);
  });
});

describe('real Prometheus harness', () => {
  let prom: RealPrometheus;
  beforeAll(async () => {
    prom = await startPrometheus();
    const now = Date.now();
    // Fresh first, then old: the out-of-order window must accept the old samples.
    await prom.write([{ labels: { __name__: 'up', job: 'fresh', instance: 'a' }, samples: [[now - 30_000, 1], [now - 1_000, 1]] }]);
    await prom.write([{ labels: { __name__: 'up', job: 'old', instance: 'b' }, samples: [[now - 3 * 3_600_000 - 60_000, 1], [now - 3 * 3_600_000, 1]] }]);
    await prom.write([{ labels: { __name__: 'up', job: 'we"ird\\svc.*', instance: 'c' }, samples: [[now - 2_000, 1]] }]);
  }, 60_000);
  afterAll(() => prom?.stop());

  it('is a real Prometheus 2.x answering on loopback', async () => {
    expect(prom.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(prom.version).toMatch(/^2\./);
  });

  it('sees fresh samples in an instant query and not the 3 h old ones', async () => {
    const r = (await prom.query('max by (job) (timestamp(up))')) as any;
    const jobs = r.data.result.map((x: { metric: { job: string } }) => x.metric.job).sort();
    expect(jobs).toEqual(['fresh', 'we"ird\\svc.*']);
    const age = Date.now() / 1000 - Number(r.data.result.find((x: any) => x.metric.job === 'fresh').value[1]);
    expect(age).toBeLessThan(60);
  });

  it('holds old samples written after fresh ones (OOO window), visible over the lookback', async () => {
    const r = (await prom.query('max by (job) (max_over_time(timestamp(up{job="old"})[1d:1m]))')) as any;
    expect(r.data.result).toHaveLength(1);
    const age = Date.now() / 1000 - Number(r.data.result[0].value[1]);
    expect(age).toBeGreaterThan(3 * 3600 - 120);
    expect(age).toBeLessThan(3 * 3600 + 300);
  });
});

describe('worlds', () => {
  describe('seed-incident', () => {
    let w: World;
    beforeAll(async () => {
      w = await startWorld('seed-incident', { heartbeatMs: 0 });
    }, 60_000);
    afterAll(() => w?.stop());

    it('shows metrics fresh, Loki with zero labels and Tempo with zero services through the proxy', async () => {
      expect(w.expectedServices).toEqual(['scanium-backend']);
      expect(w.datasources.map((d) => `${d.uid}:${d.type}`)).toEqual(['MIMIR:prometheus', 'LOKI:loki', 'TEMPO:tempo']);
      const px = (uid: string, path: string) => `${w.grafanaUrl}/api/datasources/proxy/uid/${uid}/${path}`;
      const m = (await get(px('MIMIR', `api/v1/query?${q({ query: 'max by (job) (timestamp(up{job="scanium-backend"}))' })}`))).json();
      expect(Date.now() / 1000 - Number(m.data.result[0].value[1])).toBeLessThan(300);
      expect((await get(px('LOKI', `loki/api/v1/labels?${q({ start: nowS - 86400, end: nowS + 60 })}`))).json()).toEqual({ status: 'success' });
      expect((await get(px('TEMPO', `api/v2/search/tag/resource.service.name/values?${q({ start: nowS - 86400, end: nowS + 60 })}`))).json()).toEqual({});
      expect((await get(`${w.directUrls.LOKI}/loki/api/v1/status/buildinfo`)).json().version).toBe('2.9.3');
    });
  });

  describe('broken worlds', () => {
    it('token-rejected hands out a token Grafana refuses', async () => {
      const w = await startWorld('token-rejected', { usePrometheus: false, heartbeatMs: 0 });
      try {
        expect(w.token).toBeTruthy();
        const r = await get(`${w.grafanaUrl}/api/frontend/settings`, { headers: { Authorization: `Bearer ${w.token}` } });
        expect(r.status).toBe(401);
        expect((await get(`${w.grafanaUrl}/api/frontend/settings`)).status).toBe(401);
      } finally {
        await w.stop();
      }
    });

    it('proxy-502 points Loki at a closed port while the others answer', async () => {
      const w = await startWorld('proxy-502', { usePrometheus: false, heartbeatMs: 0 });
      try {
        const r = await get(`${w.grafanaUrl}/api/datasources/proxy/uid/LOKI/loki/api/v1/labels`);
        expect(r.status).toBe(502);
        expect(r.text).toBe('');
        const t = await get(`${w.grafanaUrl}/api/datasources/proxy/uid/TEMPO/api/echo`);
        expect(t.text).toBe('echo');
      } finally {
        await w.stop();
      }
    });

    it('rate-limited, loki-auth-failed and mimir show their failure through the proxy', async () => {
      const rl = await startWorld('rate-limited', { usePrometheus: false, heartbeatMs: 0 });
      const af = await startWorld('loki-auth-failed', { usePrometheus: false, heartbeatMs: 0 });
      const mi = await startWorld('mimir', { heartbeatMs: 0 });
      try {
        const labels = 'loki/api/v1/labels';
        expect((await get(`${rl.grafanaUrl}/api/datasources/proxy/uid/LOKI/${labels}`)).status).toBe(429);
        const auth = await get(`${af.grafanaUrl}/api/datasources/proxy/uid/LOKI/${labels}`);
        expect([auth.status, auth.text]).toEqual([400, 'Authentication to data source failed']);
        expect((await get(`${af.directUrls.LOKI}/${labels}`, { headers: { 'X-Scope-OrgID': 'tenant-a' } })).status).toBe(200);
        expect(mi.directUrls.MIMIR).toMatch(/\/prometheus$/);
        const viaPrefix = await get(`${mi.grafanaUrl}/api/datasources/proxy/uid/MIMIR/api/v1/status/buildinfo`);
        expect(viaPrefix.json().data).toMatchObject({ application: 'Grafana Mimir', version: '2.11.0' });
        const noPrefix = await get(`${new URL(mi.directUrls.MIMIR).origin}/api/v1/query?query=up`);
        expect(noPrefix.status).toBe(404);
      } finally {
        await Promise.all([rl.stop(), af.stop(), mi.stop()]);
      }
    });

    it('logs-other-services lists other services, one carrying source="scanium-backend"', async () => {
      const w = await startWorld('logs-other-services', { usePrometheus: false, heartbeatMs: 0 });
      try {
        const base = `${w.directUrls.LOKI}/loki/api/v1`;
        const window = q({ start: nowS - 3600, end: nowS + 60 });
        const names = (await get(`${base}/label/service_name/values?${window}`)).json().data;
        expect(names).not.toContain('scanium-backend');
        expect(names.length).toBeGreaterThan(1);
        expect((await get(`${base}/label/source/values?${window}`)).json().data).toEqual(['scanium-backend']);
      } finally {
        await w.stop();
      }
    });
  });
});
