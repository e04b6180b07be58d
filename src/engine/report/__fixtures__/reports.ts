/**
 * Hand-built reports for renderer tests. They mirror what runCheck produces for the seed incident
 * (metrics ok; Loki reachable but empty; Tempo unreachable) plus hostile values in every string
 * a backend or a config file can influence.
 */
import { CellResult, DatasourceResult, Report, Verdict } from '../../model';
import { verdictCode } from '../../verdicts';

const WINDOW = { start: '2026-01-09T20:47:00.000Z', end: '2026-01-10T20:47:00.000Z' };

export function cell(overrides: Partial<CellResult> & { status: Verdict }): CellResult {
  return {
    code: overrides.code ?? verdictCode(overrides.status, 'metrics'),
    message: '',
    newestAt: null,
    ageSeconds: null,
    clockSkew: false,
    window: WINDOW,
    query: null,
    datasourceUid: null,
    runbook: null,
    alternativeIdentity: null,
    perDatasource: [],
    ...overrides,
  };
}

function ds(
  overrides: Partial<DatasourceResult> & Pick<DatasourceResult, 'uid' | 'name' | 'type' | 'signal' | 'status'>
): DatasourceResult {
  return {
    code: verdictCode(overrides.status, overrides.signal),
    message: '',
    version: null,
    counts: {},
    seenServices: [],
    latencyMs: 12,
    ...overrides,
  };
}

export function seedIncidentReport(): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'telemetry-truth', version: '1.0.0' },
    generatedAt: '2026-01-10T20:47:00.000Z',
    verdict: 'fail',
    mode: 'expectations',
    lookbackSeconds: 86400,
    freshnessSeconds: { metrics: 300, logs: 600, traces: 900 },
    datasources: [
      ds({
        uid: 'mimir',
        name: 'Mimir',
        type: 'prometheus',
        signal: 'metrics',
        status: 'ok',
        version: '2.11.0',
        counts: { services: 4 },
        message: 'reachable',
        queries: [
          'max by (job) (max_over_time(timestamp(count by (job) (last_over_time({job=~"scanium-backend|alloy"}[15s])))[600s:15s]))',
        ],
      }),
      ds({
        uid: 'loki',
        name: 'Loki',
        type: 'loki',
        signal: 'logs',
        status: 'empty',
        version: '2.9.3',
        counts: { labels: 0 },
        message: 'Loki holds no log streams in the last 24h',
      }),
      ds({
        uid: 'tempo',
        name: 'Tempo',
        type: 'tempo',
        signal: 'traces',
        status: 'unreachable',
        code: 'TT-UNREACHABLE',
        latencyMs: null,
        message: 'GET api/echo: HTTP 502 (empty body)',
      }),
    ],
    services: [
      {
        name: 'scanium-backend',
        expected: true,
        signals: {
          metrics: cell({
            status: 'ok',
            code: 'TT-METRICS-OK',
            message: 'newest sample 12s ago',
            newestAt: '2026-01-10T20:46:48.000Z',
            ageSeconds: 12,
            query: 'count by (job) ({job="scanium-backend"})',
            datasourceUid: 'mimir',
          }),
          logs: cell({
            status: 'empty',
            code: 'TT-LOGS-EMPTY',
            message: 'Loki is reachable but holds no logs at all in the last 24h',
            query: '{service_name="scanium-backend"}',
            datasourceUid: 'loki',
            runbook: '/a/scanium-telemetrytruth-app/runbooks/TT-LOGS-EMPTY',
            perDatasource: [],
          }),
          traces: cell({
            status: 'unreachable',
            code: 'TT-UNREACHABLE',
            message: 'Tempo could not be reached: HTTP 502 from the Grafana proxy',
            datasourceUid: 'tempo',
            runbook: '/a/scanium-telemetrytruth-app/runbooks/TT-UNREACHABLE',
          }),
        },
      },
    ],
    summary: {
      services: 1,
      cells: 3,
      byStatus: { ok: 1, stale: 0, missing: 0, empty: 1, unreachable: 1, denied: 0, error: 0, not_configured: 0 },
    },
  };
}

/** A service name and backend messages crafted to break every output language at once. */
export const HOSTILE_NAME = 'we"ird|svc`<script>alert(1)</script>&\u001b[31m]]>';

export function hostileReport(): Report {
  const r = seedIncidentReport();
  r.datasources[1] = {
    ...r.datasources[1],
    name: 'Loki | <b>prod</b>',
    message: 'HTTP 200 text/html: <html><body>Login</body></html>',
  };
  r.services = [
    {
      name: HOSTILE_NAME,
      expected: true,
      signals: {
        logs: cell({
          status: 'missing',
          code: 'TT-LOGS-MISSING',
          message: 'Loki holds logs for 3 other services but none with service_name="x|y"; found under source',
          query: '{service_name="we\\"ird|svc`<script>"} |= ```',
          datasourceUid: 'loki',
          runbook: '/a/scanium-telemetrytruth-app/runbooks/TT-LOGS-MISSING',
          alternativeIdentity: { label: 'source', datasourceUid: 'loki' },
        }),
        traces: cell({
          status: 'not_configured',
          code: 'TT-NOT-CONFIGURED',
          message: 'No Tempo datasource',
          runbook: 'javascript:alert(1)',
        }),
      },
    },
  ];
  return r;
}
