/** Report fixtures for UI tests, typed by the engine's model so they break when the contract changes. */
import {
  VERDICTS,
  verdictCode,
  type CellResult,
  type DatasourceResult,
  type Report,
  type ServiceResult,
  type Signal,
  type Verdict,
} from '../engine';

export const NOW = Date.parse('2026-11-28T02:00:00.000Z');
const WINDOW = { start: '2026-11-27T02:00:00.000Z', end: '2026-11-28T02:00:00.000Z' };

export const DS: Record<Signal, DatasourceResult> = {
  metrics: {
    uid: 'MIMIR',
    name: 'Mimir',
    type: 'prometheus',
    signal: 'metrics',
    status: 'ok',
    code: 'TT-METRICS-OK',
    message: 'Mimir answers and holds 3 services.',
    version: '2.14.0',
    counts: { services: 3, series: 420 },
    seenServices: ['scanium-backend', 'checkout', 'alloy'],
    latencyMs: 42,
  },
  logs: {
    uid: 'LOKI',
    name: 'Loki',
    type: 'loki',
    signal: 'logs',
    status: 'ok',
    code: 'TT-LOGS-OK',
    message: 'Loki answers and holds 2 services.',
    version: '3.3.2',
    counts: { services: 2, labels: 9 },
    seenServices: ['checkout', 'alloy'],
    latencyMs: 57,
  },
  traces: {
    uid: 'TEMPO',
    name: 'Tempo',
    type: 'tempo',
    signal: 'traces',
    status: 'unreachable',
    code: 'TT-UNREACHABLE',
    message: 'Tempo did not answer: HTTP 502 from the Grafana proxy on api/echo.',
    version: null,
    counts: {},
    seenServices: [],
    latencyMs: 3001,
  },
};

export function cell(status: Verdict, signal: Signal, extra: Partial<CellResult> = {}): CellResult {
  const ds = DS[signal];
  const code = verdictCode(status, signal);
  const age = status === 'ok' ? 42 : status === 'stale' ? 3 * 3600 : null;
  const query =
    signal === 'metrics'
      ? 'max by (job) (timestamp({job="scanium-backend"}))'
      : signal === 'logs'
        ? '{service_name="scanium-backend"}'
        : '{ resource.service.name = "scanium-backend" }';
  return {
    status,
    code,
    message: `${signal} ${status} for this service.`,
    newestAt: age === null ? null : new Date(NOW - age * 1000).toISOString(),
    ageSeconds: age,
    clockSkew: false,
    window: WINDOW,
    query,
    datasourceUid: ds.uid,
    runbook: status === 'ok' ? null : `/a/scanium-telemetrytruth-app/runbooks/${code}`,
    alternativeIdentity: null,
    perDatasource: [
      {
        datasourceUid: ds.uid,
        datasourceName: ds.name,
        status,
        code,
        message: `${ds.name}: ${status}`,
        newestAt: age === null ? null : new Date(NOW - age * 1000).toISOString(),
        ageSeconds: age,
        query,
      },
    ],
    ...extra,
  };
}

export function service(name: string, statuses: Partial<Record<Signal, Verdict>>, expected = true): ServiceResult {
  const signals: ServiceResult['signals'] = {};
  for (const [signal, status] of Object.entries(statuses) as Array<[Signal, Verdict]>) {
    signals[signal] = cell(status, signal);
  }
  return { name, expected, signals };
}

export function report(services: ServiceResult[], extra: Partial<Report> = {}): Report {
  const byStatus = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  let cells = 0;
  for (const s of services) {
    for (const c of Object.values(s.signals)) {
      if (c) {
        byStatus[c.status] += 1;
        cells += 1;
      }
    }
  }
  const failing = services.some((s) => s.expected && Object.values(s.signals).some((c) => c && c.status !== 'ok'));
  return {
    schemaVersion: 1,
    tool: { name: 'telemetry-truth', version: '1.0.0' },
    generatedAt: new Date(NOW).toISOString(),
    verdict: failing ? 'fail' : 'pass',
    mode: 'expectations',
    lookbackSeconds: 86400,
    freshnessSeconds: { metrics: 300, logs: 600, traces: 900 },
    datasources: [DS.metrics, DS.logs, DS.traces],
    services,
    summary: { services: services.length, cells, byStatus },
    ...extra,
  };
}

/** The seed incident: metrics ok, logs empty, traces unreachable for the backend; one healthy service. */
export function incidentReport(): Report {
  return report([
    service('checkout', { metrics: 'ok', logs: 'ok', traces: 'unreachable' }),
    service('scanium-backend', { metrics: 'ok', logs: 'missing', traces: 'unreachable' }),
    service('alloy', { metrics: 'ok', logs: 'ok' }, false),
  ]);
}
