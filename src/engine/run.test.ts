/** @jest-environment node */
import { runCheck, runCheckWithStats, RunCheckOptions, serviceQuery } from './index';
import { DEFAULT_CONFIG } from './config';
import { CheckConfig, DatasourceRef, ProgressEvent } from './model';
import { createFakeTransport, FakeBackend, FakeStream } from './__fixtures__/fake-backends';
import * as B from './__fixtures__/bodies';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const ago = (s: number) => NOW - s * 1000;

const prom: DatasourceRef = { uid: 'mimir', name: 'Mimir', type: 'prometheus' };
const loki: DatasourceRef = { uid: 'loki', name: 'Loki', type: 'loki' };
const tempo: DatasourceRef = { uid: 'tempo', name: 'Tempo', type: 'tempo' };

const metrics = (job: string, ageS: number, extra: Record<string, string> = {}): FakeStream => ({
  labels: { __name__: 'x', job, ...extra },
  newestMs: ago(ageS),
});
const logs = (labels: Record<string, string>, ageS: number): FakeStream => ({ labels, newestMs: ago(ageS) });
const spans = (service: string, ageS: number): FakeStream => ({
  labels: { 'service.name': service },
  newestMs: ago(ageS),
});

function config(over: Partial<CheckConfig> = {}): CheckConfig {
  return { ...DEFAULT_CONFIG, ...over };
}

async function check(backends: FakeBackend[], cfg: CheckConfig, extra: Partial<RunCheckOptions> = {}) {
  const transport = createFakeTransport(backends);
  const { report, stats } = await runCheckWithStats({
    config: cfg,
    transport,
    datasources: backends.map((b) => b.ref),
    now: () => NOW,
    ...extra,
  });
  return { report, stats, transport };
}

const cell = (
  report: Awaited<ReturnType<typeof check>>['report'],
  service: string,
  signal: 'metrics' | 'logs' | 'traces'
) => report.services.find((s) => s.name === service)!.signals[signal]!;

describe('runCheck verdicts', () => {
  it('all healthy: every cell ok, report passes, messages give the age', async () => {
    const { report } = await check(
      [
        { ref: prom, streams: [metrics('checkout', 20), metrics('cart', 40)] },
        { ref: loki, streams: [logs({ service_name: 'checkout' }, 30), logs({ service_name: 'cart' }, 100)] },
        { ref: tempo, streams: [spans('checkout', 60), spans('cart', 120)] },
      ],
      config({ services: [{ name: 'checkout' }, { name: 'cart' }] })
    );
    expect(report.verdict).toBe('pass');
    expect(report.summary.byStatus.ok).toBe(6);
    // Metrics are dated to 15 s buckets: 20 s old → the bucket (11:59:30, 11:59:45].
    expect(cell(report, 'checkout', 'metrics')).toMatchObject({
      status: 'ok',
      ageSeconds: 15,
      newestAt: '2026-11-28T11:59:45.000Z',
      runbook: null,
    });
    expect(cell(report, 'checkout', 'metrics').message).toBe(
      'Newest sample in "Mimir" less than 30 s ago (freshness 5 m).'
    );
    expect(cell(report, 'cart', 'traces')).toMatchObject({ status: 'ok', ageSeconds: 120, datasourceUid: 'tempo' });
    expect(cell(report, 'checkout', 'logs').message).toMatch(
      /^Newest log line in "Loki" less than 1 m ago \(freshness 10 m\)\.$/
    );
    expect(report.datasources.map((d) => [d.uid, d.status, d.version])).toEqual([
      ['mimir', 'ok', '2.42.0'],
      ['loki', 'ok', '3.5.1'],
      ['tempo', 'ok', '2.9.0'],
    ]);
  });

  it('the seed incident: metrics ok, Loki with zero labels and Tempo with zero services are empty, not ok', async () => {
    const { report } = await check(
      [
        { ref: prom, streams: [metrics('scanium-backend', 15)] },
        { ref: loki, streams: [] },
        { ref: tempo, streams: [] },
      ],
      config({ services: [{ name: 'scanium-backend' }] })
    );
    expect(report.verdict).toBe('fail');
    expect(cell(report, 'scanium-backend', 'metrics').status).toBe('ok');
    expect(cell(report, 'scanium-backend', 'logs')).toMatchObject({
      status: 'empty',
      code: 'TT-LOGS-EMPTY',
      runbook: '/a/scanium-telemetrytruth-app/runbooks/TT-LOGS-EMPTY',
    });
    expect(cell(report, 'scanium-backend', 'logs').message).toMatch(/"Loki" holds no logs at all in the last 1 d/);
    expect(cell(report, 'scanium-backend', 'traces')).toMatchObject({ status: 'empty', code: 'TT-TRACES-EMPTY' });
    expect(report.datasources.find((d) => d.uid === 'loki')).toMatchObject({ status: 'empty', code: 'TT-LOGS-EMPTY' });
  });

  it('stale logs (3 h old) say how old', async () => {
    const { report } = await check(
      [{ ref: loki, streams: [logs({ service_name: 'api' }, 3 * 3600 + 120), logs({ service_name: 'web' }, 10)] }],
      config({ services: [{ name: 'api', signals: ['logs'] }] })
    );
    const c = cell(report, 'api', 'logs');
    expect(c).toMatchObject({ status: 'stale', code: 'TT-LOGS-STALE', ageSeconds: 3 * 3600 + 120 });
    expect(c.message).toBe('Newest log line in "Loki" 3 h 2 m ago (freshness 10 m).');
    expect(c.query).toBe('{service_name="api"}');
  });

  it('missing: logs for other services only, and the name found under another label is named', async () => {
    const { report } = await check(
      [
        {
          ref: loki,
          streams: [
            logs({ service_name: 'alloy', source: 'scanium-backend' }, 5),
            logs({ service_name: 'loki' }, 5),
            logs({ service_name: 'grafana' }, 5),
            logs({ service_name: 'mimir' }, 5),
          ],
        },
      ],
      config({ services: [{ name: 'scanium-backend', signals: ['logs'] }] })
    );
    const c = cell(report, 'scanium-backend', 'logs');
    expect(c.status).toBe('missing');
    expect(c.code).toBe('TT-LOGS-MISSING');
    expect(c.alternativeIdentity).toEqual({ label: 'source', datasourceUid: 'loki' });
    expect(c.message).toBe(
      '"Loki" holds logs for 4 other services but none with service_name="scanium-backend" in the last 1 d. ' +
        'Found under source="scanium-backend": set the logs identity to "source" if that is this service.'
    );
  });

  it('identity overrides: global logs=source finds the service', async () => {
    const { report } = await check(
      [{ ref: loki, streams: [logs({ service_name: 'alloy', source: 'scanium-backend' }, 5)] }],
      config({
        services: [{ name: 'scanium-backend', signals: ['logs'] }],
        identity: { ...DEFAULT_CONFIG.identity, logs: { label: 'source' } },
      })
    );
    expect(cell(report, 'scanium-backend', 'logs').status).toBe('ok');
  });

  it('clock skew: a newest datum in the future counts as fresh and is flagged', async () => {
    const { report } = await check(
      [
        { ref: prom, streams: [metrics('api', -120)] },
        { ref: loki, streams: [logs({ service_name: 'api' }, -180)] },
        { ref: tempo, streams: [spans('api', -90)] },
      ],
      config({ services: [{ name: 'api' }] })
    );
    for (const s of ['metrics', 'logs', 'traces'] as const) {
      const c = cell(report, 'api', s);
      expect(c.status).toBe('ok');
      expect(c.clockSkew).toBe(true);
      expect(c.ageSeconds).toBeLessThan(0);
      expect(c.message).toMatch(/in the future: a clock is skewed/);
    }
  });

  it('not_configured when a signal has no datasource, and excluded datasources count as absent', async () => {
    const events: ProgressEvent[] = [];
    const { report } = await check(
      [
        { ref: prom, streams: [metrics('api', 5)] },
        { ref: loki, streams: [logs({ service_name: 'api' }, 5)] },
      ],
      config({ services: [{ name: 'api' }], datasources: { include: [], exclude: ['loki'] } }),
      { onProgress: (e) => events.push(e) }
    );
    // Signals without a datasource are reported before any datasource answers.
    expect(events.slice(0, 2).map((e) => (e.type === 'cell' ? `${e.signal}:${e.cell.status}` : e.type))).toEqual([
      'logs:not_configured',
      'traces:not_configured',
    ]);
    expect(cell(report, 'api', 'logs')).toMatchObject({ status: 'not_configured', code: 'TT-NOT-CONFIGURED' });
    expect(cell(report, 'api', 'traces').status).toBe('not_configured');
    expect(report.datasources.map((d) => d.uid)).toEqual(['mimir']);
    expect(report.verdict).toBe('fail');
  });

  it('several datasources for one signal: the best wins and each result is kept', async () => {
    const old: DatasourceRef = { uid: 'loki-old', name: 'Old Loki', type: 'loki' };
    const { report } = await check(
      [
        { ref: old, streams: [], override: () => ({ status: 502, body: '' }) },
        { ref: loki, streams: [logs({ service_name: 'api' }, 5)] },
      ],
      config({ services: [{ name: 'api', signals: ['logs'] }] })
    );
    const c = cell(report, 'api', 'logs');
    expect(c.status).toBe('ok');
    expect(c.datasourceUid).toBe('loki');
    expect(c.perDatasource.map((d) => [d.datasourceUid, d.status])).toEqual([
      ['loki-old', 'unreachable'],
      ['loki', 'ok'],
    ]);
    expect(report.verdict).toBe('pass');
  });

  it('runbook URL overrides win over the built-in route', async () => {
    const { report } = await check(
      [{ ref: loki, streams: [] }],
      config({
        services: [{ name: 'api', signals: ['logs'] }],
        runbookUrls: { 'TT-LOGS-EMPTY': 'https://wiki.example/empty' },
      }),
      { runbookBaseUrl: 'https://grafana.example/a/scanium-telemetrytruth-app/runbooks/' }
    );
    expect(cell(report, 'api', 'logs').runbook).toBe('https://wiki.example/empty');
    const { report: r2 } = await check(
      [{ ref: loki, streams: [] }],
      config({ services: [{ name: 'api', signals: ['logs'] }] }),
      {
        runbookBaseUrl: 'https://grafana.example/a/scanium-telemetrytruth-app/runbooks/',
      }
    );
    expect(cell(r2, 'api', 'logs').runbook).toBe(
      'https://grafana.example/a/scanium-telemetrytruth-app/runbooks/TT-LOGS-EMPTY'
    );
  });
});

describe('identity', () => {
  it('per-service selectors (with ${service}) and labels are used, one query each for selectors', async () => {
    const { report, transport } = await check(
      [
        { ref: prom, streams: [metrics('ns/api', 5, { env: 'prod' }), metrics('ns/api', 5, { env: 'dev' })] },
        { ref: loki, streams: [logs({ container: 'api-1', env: 'prod' }, 30), logs({ service_name: 'other' }, 5)] },
        { ref: tempo, streams: [spans('api', 20)] },
      ],
      config({
        services: [
          {
            name: 'api',
            identity: {
              metrics: { selector: '{job="ns/${service}", env="prod"}' },
              logs: { label: 'container' },
            },
          },
        ],
      })
    );
    // The cell shows the service's own selector, ready for Explore, not the bucketed dating query.
    expect(cell(report, 'api', 'metrics')).toMatchObject({ status: 'ok', query: 'count({job="ns/api", env="prod"})' });
    expect(transport.requests.map((r) => r.params.query)).toContain(
      'max (max_over_time(timestamp(count (last_over_time({job="ns/api", env="prod"}[15s])))[600s:15s]))'
    );
    // container="api" does not exist: missing, with the other services counted under the global label.
    expect(cell(report, 'api', 'logs')).toMatchObject({ status: 'missing', query: '{container="api"}' });
    expect(cell(report, 'api', 'logs').message).toMatch(/none with container="api"/);
    expect(cell(report, 'api', 'traces')).toMatchObject({ status: 'ok', query: '{ resource.service.name = "api" }' });
    expect(transport.requests.some((r) => r.path === 'loki/api/v1/label/container/values')).toBe(true);
  });

  it('Prometheus: only other services, all stale → missing (not empty), proven without scanning every series', async () => {
    const { report, transport } = await check(
      [{ ref: prom, streams: [metrics('other', 4000)] }],
      config({ services: [{ name: 'api', signals: ['metrics'] }] })
    );
    expect(cell(report, 'api', 'metrics').status).toBe('missing');
    expect(transport.requests.some((r) => String(r.params.query).includes('__name__'))).toBe(false);
  });

  it('Prometheus: an OTLP job "namespace/name" is pointed out when the bare name is expected', async () => {
    const { report } = await check(
      [{ ref: prom, streams: [metrics('shop/checkout', 5), metrics('grafana', 5)] }],
      config({ services: [{ name: 'checkout', signals: ['metrics'] }] })
    );
    const c = cell(report, 'checkout', 'metrics');
    expect(c.status).toBe('missing');
    expect(c.message).toMatch(
      /Similar values exist: job="shop\/checkout" \(OTLP metrics are labelled job="<service.namespace>\/<service.name>"\)\./
    );
  });

  it('Prometheus: a job that exists only under another label is missing with that label named', async () => {
    const { report } = await check(
      [{ ref: prom, streams: [metrics('otel-collector', 5, { service: 'scanium-backend' }), metrics('grafana', 5)] }],
      config({ services: [{ name: 'scanium-backend', signals: ['metrics'] }] })
    );
    expect(cell(report, 'scanium-backend', 'metrics')).toMatchObject({
      status: 'missing',
      alternativeIdentity: { label: 'service', datasourceUid: 'mimir' },
    });
  });
});

describe('failures are verdicts, never "no data"', () => {
  const cases: Array<[string, () => { status: number; body: unknown }, string, string]> = [
    ['proxy 502 with empty body', () => ({ status: 502, body: '' }), 'unreachable', 'TT-UNREACHABLE'],
    ['upstream 401 via proxy', () => ({ status: 400, body: B.grafanaAuthFailed }), 'denied', 'TT-DENIED'],
    ['403', () => ({ status: 403, body: B.grafanaAccessDenied }), 'denied', 'TT-DENIED'],
    ['429', () => ({ status: 429, body: 'Too Many Requests' }), 'error', 'TT-ERROR-RATE-LIMITED'],
    ['HTML page', () => ({ status: 200, body: B.htmlLoginPage }), 'error', 'TT-ERROR-MALFORMED'],
    ['truncated JSON', () => ({ status: 200, body: B.truncatedJson }), 'error', 'TT-ERROR-MALFORMED'],
  ];
  it.each(cases)('%s', async (_name, answer, status, code) => {
    const { report } = await check(
      [
        {
          ref: loki,
          streams: [logs({ service_name: 'api' }, 5)],
          override: (req) => (req.path.includes('buildinfo') ? undefined : answer()),
        },
      ],
      config({ services: [{ name: 'api', signals: ['logs'] }] })
    );
    expect(cell(report, 'api', 'logs')).toMatchObject({ status, code });
    expect(report.datasources[0]).toMatchObject({ status, code });
    expect(report.datasources[0].message).toContain('loki/api/v1/label/service_name/values');
  });

  it('a failing per-service query makes that cell an error while the datasource stays ok', async () => {
    const { report } = await check(
      [
        {
          ref: prom,
          streams: [metrics('api', 5), metrics('db', 5)],
          override: (req) =>
            req.path === 'api/v1/query'
              ? { status: 422, body: { status: 'error', errorType: 'execution', error: 'query timed out' } }
              : undefined,
        },
      ],
      config({ services: [{ name: 'api', signals: ['metrics'] }] })
    );
    expect(cell(report, 'api', 'metrics')).toMatchObject({
      status: 'error',
      code: 'TT-ERROR-QUERY',
      query: 'count by (job) ({job="api"})',
    });
    expect(cell(report, 'api', 'metrics').message).toMatch(/execution: query timed out/);
    // The batch that failed is kept on the datasource.
    expect(report.datasources[0].queries).toContain(
      'max by (job) (max_over_time(timestamp(count by (job) (last_over_time({job=~"api"}[15s])))[600s:15s]))'
    );
  });

  it('a datasource that fails as a whole still gives each cell its per-service query', async () => {
    const { report } = await check(
      [
        {
          ref: loki,
          streams: [logs({ service_name: 'api' }, 5)],
          override: () => ({ status: 502, body: 'bad gateway' }),
        },
      ],
      config({ services: [{ name: 'api', signals: ['logs'] }] })
    );
    expect(cell(report, 'api', 'logs')).toMatchObject({ status: 'unreachable', query: '{service_name="api"}' });
    expect(cell(report, 'api', 'logs').perDatasource[0].query).toBe('{service_name="api"}');
  });
});

describe('backend versions and shapes', () => {
  it('Tempo before 2.x: v2 tag values 404 → v1 plain strings are read as service names', async () => {
    const { report, transport } = await check(
      [{ ref: tempo, version: null, tempoV1Only: true, streams: [spans('checkout', 30), spans('cart', 30)] }],
      config({ services: [{ name: 'checkout', signals: ['traces'] }] })
    );
    expect(cell(report, 'checkout', 'traces').status).toBe('ok');
    expect(report.datasources[0]).toMatchObject({ status: 'ok', version: null, seenServices: ['cart', 'checkout'] });
    expect(transport.requests.some((r) => r.path === 'api/search/tag/service.name/values')).toBe(true);
    // Without buildinfo (before 2.3) the engine does not assume most_recent support.
    expect(
      transport.requests
        .filter((r) => r.path === 'api/search')
        .every((r) => !String(r.params.q).includes('most_recent'))
    ).toBe(true);
  });

  it('Tempo 1.x (no TraceQL): per-service tags= searches, only exact root services count', async () => {
    const { report, transport } = await check(
      [
        {
          ref: tempo,
          version: null,
          tempoV1Only: true,
          streams: [spans('checkout-v2', 30), spans('checkout', 3 * 3600), spans('my svc', 30)],
        },
      ],
      config({ services: ['checkout', 'my svc'].map((name) => ({ name, signals: ['traces' as const] })) })
    );
    // "checkout-v2" also matches the substring search, but is not checkout: checkout is stale.
    expect(cell(report, 'checkout', 'traces')).toMatchObject({ status: 'stale', ageSeconds: 3 * 3600 });
    expect(cell(report, 'my svc', 'traces').status).toBe('ok');
    // Still the TraceQL form: what to run once Tempo is upgraded (1.x Explore has no TraceQL).
    expect(cell(report, 'my svc', 'traces').query).toBe('{ resource.service.name = "my svc" }');
    const searches = transport.requests.filter((r) => r.path === 'api/search');
    expect(searches.every((r) => r.params.q === undefined)).toBe(true);
    expect(searches.map((r) => r.params.tags)).toContain('service.name="my svc"');
  });

  it('Tempo with neither tag endpoint: error endpoint_missing, not "no services"', async () => {
    const { report } = await check(
      [
        {
          ref: tempo,
          streams: [spans('x', 5)],
          override: (req) => (req.path.includes('/tag/') ? { status: 404, body: 'not found' } : undefined),
        },
      ],
      config({ services: [{ name: 'x', signals: ['traces'] }] })
    );
    expect(cell(report, 'x', 'traces')).toMatchObject({ status: 'error', code: 'TT-ERROR-ENDPOINT-MISSING' });
    expect(cell(report, 'x', 'traces').message).toMatch(/neither the v2 nor the v1/);
  });

  it('Tempo v2 values without `value` (empty string) are not services', async () => {
    const { report } = await check(
      [
        {
          ref: tempo,
          streams: [spans('a', 5)],
          override: (req) =>
            req.path.startsWith('api/v2/search/tag/')
              ? { status: 200, body: { tagValues: [{ type: 'string' }, { type: 'string', value: 'a' }] } }
              : undefined,
        },
      ],
      config()
    );
    expect(report.datasources[0].seenServices).toEqual(['a']);
  });

  it('Loki labels without `data` mean empty, not an error', async () => {
    const { report } = await check(
      [
        {
          ref: loki,
          streams: [],
          override: (req) => (req.path === 'loki/api/v1/labels' ? { status: 200, body: B.lokiLabelsEmpty } : undefined),
        },
      ],
      config({ services: [{ name: 'x', signals: ['logs'] }] })
    );
    expect(report.datasources[0].status).toBe('empty');
  });

  it('Mimir without the /prometheus prefix: 404 says where the prefix belongs', async () => {
    const { report } = await check(
      [{ ref: prom, streams: [], override: () => ({ status: 404, body: '404 page not found\n' }) }],
      config({ services: [{ name: 'a', signals: ['metrics'] }] })
    );
    expect(report.datasources[0]).toMatchObject({ status: 'error', code: 'TT-ERROR-ENDPOINT-MISSING' });
    expect(report.datasources[0].message).toMatch(/must end in \/prometheus/);
  });

  it('Prometheus buildinfo 404 (old Thanos/Cortex) is fine: version null', async () => {
    const { report } = await check(
      [{ ref: prom, version: null, streams: [metrics('a', 5)] }],
      config({ services: [{ name: 'a', signals: ['metrics'] }] })
    );
    expect(report.datasources[0]).toMatchObject({ status: 'ok', version: null });
  });
});

describe('dating strategies', () => {
  it('Tempo ≥ 2.8 asks for most_recent, dates fresh services in one batched search, searches per service only for stale ones', async () => {
    const { report, transport } = await check(
      [{ ref: tempo, version: '2.9.0', streams: [spans('a', 30), spans('b', 60), spans('old', 7200)] }],
      config({ services: ['a', 'b', 'old'].map((name) => ({ name, signals: ['traces' as const] })) })
    );
    expect(['a', 'b', 'old'].map((n) => cell(report, n, 'traces').status)).toEqual(['ok', 'ok', 'stale']);
    expect(cell(report, 'old', 'traces').ageSeconds).toBe(7200);
    const searches = transport.requests.filter((r) => r.path === 'api/search').map((r) => String(r.params.q));
    expect(searches).toEqual([
      '{ resource.service.name =~ "a|b" } with (most_recent=true)',
      '{ resource.service.name = "old" } with (most_recent=true)',
    ]);
    // Windows are unix seconds (uint32), never milliseconds.
    for (const r of transport.requests) {
      if (r.params.start !== undefined) {
        expect(String(r.params.start)).toMatch(/^\d{10}$/);
      }
    }
  });

  it('Tempo: a busy service crowding a batched search costs a second round of small batches, not a search per service', async () => {
    const quiet = Array.from({ length: 100 }, (_, i) => `q${i}`);
    const noisy = Array.from({ length: 2000 }, (_, i) => spans('noisy', 1 + i / 100));
    const { report, transport } = await check(
      [{ ref: tempo, streams: [...noisy, ...quiet.map((n) => spans(n, 120))] }],
      config({ services: ['noisy', ...quiet].map((name) => ({ name, signals: ['traces' as const] })) })
    );
    expect(report.summary.byStatus.ok).toBe(101);
    expect(transport.requests.filter((r) => r.path === 'api/search').length).toBeLessThanOrEqual(35);
  });

  it('Tempo whose tag values list only recent (ingester) services: an older service is searched, so stale, not missing', async () => {
    const { report } = await check(
      [
        {
          ref: tempo,
          version: '2.1.0',
          streams: [spans('recent', 30), spans('older', 3 * 3600)],
          override: (req) =>
            req.path.startsWith('api/v2/search/tag/')
              ? { status: 200, body: B.tempoTagValuesV2(['recent']) }
              : undefined,
        },
      ],
      config({ services: ['recent', 'older', 'absent'].map((name) => ({ name, signals: ['traces' as const] })) })
    );
    expect(['recent', 'older', 'absent'].map((n) => cell(report, n, 'traces').status)).toEqual([
      'ok',
      'stale',
      'missing',
    ]);
  });

  it('Loki: windows in nanoseconds; more than 50 stale services are dated by one coarse batch, not one query each', async () => {
    const all = Array.from({ length: 60 }, (_, i) => `s${i}`);
    const { report, transport } = await check(
      [{ ref: loki, streams: all.map((n) => logs({ service_name: n }, 3 * 3600)) }],
      config({ services: all.map((name) => ({ name, signals: ['logs' as const] })) })
    );
    expect(report.summary.byStatus.stale).toBe(60);
    expect(cell(report, 's0', 'logs').message).toMatch(
      /^Newest log line in "Loki" 2 h 5\d m to 3 h \d+ m ago \(freshness 10 m\)\.$/
    );
    expect(transport.requests.filter((r) => r.params.limit === '1')).toHaveLength(0);
    expect(transport.requests.length).toBeLessThanOrEqual(5);
    for (const r of transport.requests) {
      if (r.params.start !== undefined) {
        expect(String(r.params.start)).toMatch(/^\d{19}$/);
      }
    }
  });

  it('Tempo: more than 50 services without fresh traces are reported stale without a search each', async () => {
    const all = Array.from({ length: 60 }, (_, i) => `t${i}`);
    const { report, transport } = await check(
      [{ ref: tempo, streams: all.map((n) => spans(n, 3 * 3600)) }],
      config({ services: all.map((name) => ({ name, signals: ['traces' as const] })) })
    );
    expect(report.summary.byStatus.stale).toBe(60);
    expect(cell(report, 't0', 'traces').message).toMatch(
      /has traces for this service in the last 1 d but none in the last 15 m/
    );
    expect(transport.requests.length).toBeLessThanOrEqual(5);
  });
});

describe('discovery mode', () => {
  it('reports the services each signal sees as rows and fails only on datasource problems', async () => {
    const { report } = await check(
      [
        { ref: prom, streams: [metrics('api', 5), metrics('db', 5000)] },
        { ref: loki, streams: [logs({ service_name: 'api' }, 5)] },
        { ref: tempo, streams: [] },
      ],
      config()
    );
    expect(report.mode).toBe('discovery');
    expect(report.services.map((s) => [s.name, s.expected])).toEqual([
      ['api', false],
      ['db', false],
    ]);
    expect(cell(report, 'db', 'metrics').status).toBe('stale');
    expect(cell(report, 'db', 'logs').status).toBe('missing');
    expect(report.datasources.find((d) => d.uid === 'tempo')!.status).toBe('empty');
    expect(report.verdict).toBe('fail');
  });

  it('passes when every datasource is reachable and holds data, even with stale services', async () => {
    const { report } = await check([{ ref: prom, streams: [metrics('api', 5), metrics('db', 5000)] }], config());
    expect(report.verdict).toBe('pass');
  });
});

describe('query safety', () => {
  const weird = ['pay"ments', 'back\\slash', 'a.b*c', 'x|y', 'new\nline', 'ünï(c)ode'];
  it('names with quotes, backslashes, regex metacharacters and newlines match exactly themselves', async () => {
    const { report, transport } = await check(
      [
        { ref: prom, streams: [...weird.map((n) => metrics(n, 5)), metrics('aXbbc', 5), metrics('x', 5)] },
        { ref: loki, streams: weird.map((n) => logs({ service_name: n }, 5000)) },
        { ref: tempo, streams: weird.map((n) => spans(n, 5)) },
      ],
      config({ services: weird.map((name) => ({ name })) })
    );
    for (const n of weird) {
      expect([n, cell(report, n, 'metrics').status]).toEqual([n, 'ok']);
      expect([n, cell(report, n, 'logs').status]).toEqual([n, 'stale']);
      expect([n, cell(report, n, 'traces').status]).toEqual([n, 'ok']);
    }
    const promQuery = transport.requests.find((r) => r.path === 'api/v1/query')!.params.query;
    expect(promQuery).toBe(
      'max by (job) (max_over_time(timestamp(count by (job) (last_over_time({job=~"pay\\"ments|back\\\\\\\\slash|a\\\\.b\\\\*c|x\\\\|y|new\\nline|ünï\\\\(c\\\\)ode"}[15s])))[600s:15s]))'
    );
    // The batch is kept once on the datasource; each cell gets its own exact-match query.
    expect(report.datasources.find((d) => d.uid === 'mimir')!.queries).toEqual([promQuery]);
    const queries = (n: string) => (['metrics', 'logs', 'traces'] as const).map((sig) => cell(report, n, sig).query);
    expect(queries('pay"ments')).toEqual([
      'count by (job) ({job="pay\\"ments"})',
      '{service_name="pay\\"ments"}',
      '{ resource.service.name = "pay\\"ments" }',
    ]);
    expect(queries('back\\slash')).toEqual([
      'count by (job) ({job="back\\\\slash"})',
      '{service_name="back\\\\slash"}',
      '{ resource.service.name = "back\\\\slash" }',
    ]);
    // Equality matchers: regex metacharacters stay literal (a regex a.b*c would also match aXbbc).
    expect(queries('a.b*c')).toEqual([
      'count by (job) ({job="a.b*c"})',
      '{service_name="a.b*c"}',
      '{ resource.service.name = "a.b*c" }',
    ]);
    expect(cell(report, 'x|y', 'metrics').query).toBe('count by (job) ({job="x|y"})');
    expect(cell(report, 'new\nline', 'logs').query).toBe('{service_name="new\\nline"}');
    const exact = transport.requests
      .filter((r) => r.path === 'loki/api/v1/query_range' && r.params.limit === '1')
      .map((r) => r.params.query);
    expect(exact).toContain('{service_name="pay\\"ments"}');
    expect(exact).toContain('{service_name="back\\\\slash"}');
    expect(exact).toContain('{service_name="new\\nline"}');
  });
});

describe('serviceQuery (what a cell shows for Explore)', () => {
  it.each([
    ['prometheus', { label: 'job' }, 'count by (job) ({job="o\\"b\\\\r.*"})'],
    ['prometheus', { label: 'service.name' }, 'count by ("service.name") ({"service.name"="o\\"b\\\\r.*"})'],
    ['prometheus', { selector: 'up{app="${service}", env="prod"}' }, 'count(up{app="o\\"b\\\\r.*", env="prod"})'],
    ['loki', { label: 'service_name' }, '{service_name="o\\"b\\\\r.*"}'],
    ['loki', { selector: '{app="${service}"} |= "GET"' }, '{app="o\\"b\\\\r.*"} |= "GET"'],
    ['tempo', { label: 'service.name' }, '{ resource.service.name = "o\\"b\\\\r.*" }'],
    ['tempo', { label: 'span.peer.service' }, '{ span.peer.service = "o\\"b\\\\r.*" }'],
  ] as const)('%s %j', (type, identity, expected) => {
    expect(serviceQuery(type, identity, 'o"b\\r.*')).toBe(expected);
  });
});

describe('batching, scale and timeouts', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `service-${String(i).padStart(4, '0')}`);

  it('200 healthy services cost at most 10 requests per datasource', async () => {
    const all = names(200);
    const { report, transport } = await check(
      [
        { ref: prom, streams: all.map((n) => metrics(n, 10)) },
        { ref: loki, streams: all.map((n) => logs({ service_name: n }, 10)) },
        { ref: tempo, streams: all.map((n) => spans(n, 10)) },
      ],
      config({ services: all.map((name) => ({ name })) })
    );
    expect(report.summary.byStatus.ok).toBe(600);
    for (const uid of ['mimir', 'loki', 'tempo']) {
      expect([uid, transport.requests.filter((r) => r.uid === uid).length <= 10]).toEqual([uid, true]);
    }
    // Each cell names only its own service; the batches that dated them are kept once per datasource.
    expect(
      (['metrics', 'logs', 'traces'] as const).map((sig) => cell(report, 'service-0042', sig).perDatasource[0].query)
    ).toEqual([
      'count by (job) ({job="service-0042"})',
      '{service_name="service-0042"}',
      '{ resource.service.name = "service-0042" }',
    ]);
    const cellQueries = report.services.flatMap((s) => Object.values(s.signals).map((c) => c.query ?? ''));
    expect(cellQueries.filter((q) => !/"service-\d{4}"/.test(q) || /service-\d{4}\|/.test(q))).toEqual([]);
    for (const d of report.datasources) {
      const sent = transport.requests.filter((r) => r.uid === d.uid).map((r) => r.params.q ?? r.params.query);
      expect(d.queries!.length).toBeGreaterThan(0);
      expect(d.queries!.filter((q) => !sent.includes(q))).toEqual([]);
      expect(d.queries!.every((q) => q.includes('service-0000|service-0001'))).toBe(true);
    }
  });

  it('Loki batches stay under max_query_series (500): 1,000 services are split', async () => {
    const all = names(1000);
    const { report, transport } = await check(
      [{ ref: loki, streams: all.map((n) => logs({ service_name: n }, 10)) }],
      config({ services: all.map((name) => ({ name, signals: ['logs' as const] })) })
    );
    expect(report.summary.byStatus.ok).toBe(1000);
    expect(transport.requests.filter((r) => String(r.params.query).startsWith('sum by')).length).toBeGreaterThanOrEqual(
      3
    );
  });

  it('5,000 services: the report arrives, stays batched and within the heap budget', async () => {
    const all = names(5000);
    const before = process.memoryUsage().heapUsed;
    const { report, stats } = await check(
      [
        { ref: prom, streams: all.map((n, i) => metrics(n, i % 10 === 0 ? 4000 : 10)) },
        { ref: loki, streams: all.map((n) => logs({ service_name: n }, 10)) },
        { ref: tempo, streams: all.map((n) => spans(n, 10)) },
      ],
      config({ services: all.map((name) => ({ name })) })
    );
    const grown = process.memoryUsage().heapUsed - before;
    expect(report.summary.cells).toBe(15000);
    expect(report.summary.byStatus.stale).toBe(500);
    expect(stats.requests).toBeLessThan(150);
    expect(grown).toBeLessThan(100 * 1024 * 1024);
  });

  it('a hung datasource is unreachable within its timeout; the others keep their verdicts', async () => {
    const started = Date.now();
    const events: ProgressEvent[] = [];
    const { report } = await check(
      [
        { ref: prom, streams: [metrics('api', 5)] },
        { ref: loki, streams: [], override: () => new Promise(() => undefined) },
      ],
      config({ services: [{ name: 'api', signals: ['metrics', 'logs'] }], timeoutMs: 200 }),
      { onProgress: (e) => events.push(e) }
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(cell(report, 'api', 'metrics').status).toBe('ok');
    expect(cell(report, 'api', 'logs')).toMatchObject({ status: 'unreachable', code: 'TT-UNREACHABLE' });
    expect(cell(report, 'api', 'logs').message).toMatch(/no answer within 200 ms/);
    // Progress: the healthy datasource and its cell are reported before the hung one settles.
    expect(events.map((e) => (e.type === 'datasource' ? `ds:${e.result.uid}` : `cell:${e.signal}`))).toEqual([
      'ds:mimir',
      'cell:metrics',
      'ds:loki',
      'cell:logs',
    ]);
  });

  it('cancellation rejects with an AbortError', async () => {
    const controller = new AbortController();
    const p = runCheck({
      config: config({ services: [{ name: 'a' }] }),
      transport: createFakeTransport([{ ref: loki, streams: [], override: () => new Promise(() => undefined) }]),
      datasources: [loki],
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});
