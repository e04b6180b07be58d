/**
 * Test WORLDS: a Grafana API emulator in front of backends (real Prometheus by default, Loki and
 * Tempo emulators, fault servers), seeded with data that tells one story each. Used by the CLI
 * integration tests, the browser harness (via tests/worlds/serve.ts), the demo and the bench.
 *
 * Names are stable: see WORLD_NAMES. Every world exposes the data sources `MIMIR` (prometheus),
 * `LOKI` (loki) and `TEMPO` (tempo) — the seed stack's uids — plus extra copies when
 * `datasourceCount` asks for more (uids `MIMIR-2`, `LOKI-2`, … pointing at the same backends).
 * Services use the default identities: metrics `job`, logs `service_name`, traces `service.name`.
 *
 * "Fresh" data: seeded samples/lines/traces every 15 s over the last 10 min up to ~now, and a
 * heartbeat (default every 15 s, `heartbeatMs: 0` disables) keeps fresh services fresh while the
 * world stays up (the demo). Stale data stops at its stated age.
 *
 * `many-services` (5,000 services) always uses the Prometheus EMULATOR: 5,000 series in the real
 * binary start fine but every heartbeat would remote-write 5,000 samples; the emulator is cheaper
 * and speaks the same API subset. `usePrometheus: false` swaps the emulator in for any world.
 * No jest globals here.
 */
import type { BackendType, DatasourceRef } from '../../src/engine/model';
import { startFaultServer, type FaultServer } from '../emulators/faults';
import { startGrafanaEmulator, type GrafanaDatasource, type GrafanaEmulator, type Role } from '../emulators/grafana';
import { closedPort, type RunningServer } from '../emulators/http';
import { startLokiEmulator, type LokiEmulator } from '../emulators/loki';
import { startPrometheusEmulator, type PrometheusEmulator } from '../emulators/prometheus';
import { newTraceId, startTempoEmulator, type TempoEmulator, type TempoTrace } from '../emulators/tempo';
import { startPrometheus, type PromSeries, type RealPrometheus } from '../support/prometheus';

export const WORLD_NAMES = [
  'healthy',
  'seed-incident',
  'logs-other-services',
  'stale-logs',
  'stale-metrics',
  'tempo-v1',
  'proxy-502',
  'unreachable-loki',
  'token-rejected',
  'html-error',
  'truncated-json',
  'hung',
  'many-services',
  'quotes',
  'rate-limited',
  'loki-auth-failed',
  'mimir',
] as const;
export type WorldName = (typeof WORLD_NAMES)[number];

export interface WorldOptions {
  /** Delay injected by the Grafana emulator before forwarding each proxied request. */
  latencyMs?: number;
  /** Total data sources, spread round-robin over prometheus, loki, tempo (min 3). Default 3. */
  datasourceCount?: number;
  /** Replace the healthy services: a count (`svc-0001`…) or explicit names. */
  services?: number | string[];
  /** Use the real Prometheus (default true; many-services always uses the emulator). */
  usePrometheus?: boolean;
  /** Grafana data proxy timeout per data source (default 30 s like Grafana). */
  proxyTimeoutMs?: number;
  /** Heartbeat period keeping fresh data fresh; 0 disables. Default 15000. */
  heartbeatMs?: number;
}

export interface World {
  name: WorldName;
  grafanaUrl: string;
  /** Bearer token to use with grafanaUrl, when the world has token auth (token-rejected: a WRONG one). */
  token?: string;
  datasources: DatasourceRef[];
  /** uid → backend base URL for direct mode (no Grafana). */
  directUrls: Record<string, string>;
  expectedServices: string[];
  grafana: GrafanaEmulator;
  /** The backends, for tests that want to inspect or add data. */
  backends: {
    prometheus?: RealPrometheus | PrometheusEmulator;
    loki?: LokiEmulator;
    tempo?: TempoEmulator;
    faults: FaultServer[];
  };
  /** What this world is meant to show, one line. */
  description: string;
  stop(): Promise<void>;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DEFAULT_SERVICES = ['scanium-backend', 'checkout', 'cart'];

/** A service's data in one signal: `ageMs` is how old its newest datum is. */
interface Feed {
  labels: Record<string, string>;
  ageMs: number;
}

interface Spec {
  description: string;
  expected: string[];
  metrics: Feed[];
  logs: Feed[];
  traces: Array<{ service: string; ageMs: number; resource?: Record<string, string> }>;
  lokiVersion?: string;
  tempoVersion?: string;
  /** Replace a backend URL by something broken. */
  lokiFault?: 'closed' | 'html' | 'truncated-json' | 'rate-limited';
  /** Loki with auth_enabled and no X-Scope-OrgID configured in Grafana. */
  lokiAuth?: boolean;
  /** Prometheus emulator dressed as Mimir (API under /prometheus, Mimir buildinfo). */
  mimir?: boolean;
  tempoFault?: 'hang';
  grafanaAuth?: { tokens: Record<string, Role>; give: string };
  promEmulator?: boolean;
}

function metricFeeds(services: string[], ageMs = 0): Feed[] {
  return services.map((s) => ({ labels: { job: s, instance: `${s}:8080` }, ageMs }));
}
function logFeeds(services: string[], ageMs = 0): Feed[] {
  return services.map((s) => ({ labels: { service_name: s, env: 'dev' }, ageMs }));
}
function traceFeeds(services: string[], ageMs = 0) {
  return services.map((s) => ({ service: s, ageMs }));
}

function serviceNames(opt: WorldOptions['services'], fallback: string[]): string[] {
  if (opt === undefined) {
    return fallback;
  }
  if (typeof opt === 'number') {
    return Array.from({ length: opt }, (_, i) => `svc-${String(i + 1).padStart(4, '0')}`);
  }
  return opt;
}

function specFor(name: WorldName, opts: WorldOptions): Spec {
  const svcs = serviceNames(opts.services, DEFAULT_SERVICES);
  const healthy = (): Spec => ({
    description: 'Every expected service is fresh in metrics, logs and traces.',
    expected: svcs,
    metrics: metricFeeds(svcs),
    logs: logFeeds(svcs),
    traces: traceFeeds(svcs),
  });
  switch (name) {
    case 'healthy':
      return healthy();
    case 'seed-incident':
      return {
        description:
          'The 2026-01-09 incident: Mimir has fresh scanium-backend metrics; Loki (2.9.3) has zero labels ({"status":"success"} without data); Tempo has zero services.',
        expected: ['scanium-backend'],
        metrics: [
          ...metricFeeds(['scanium-backend']).map((f) => ({ ...f, labels: { ...f.labels, source: 'scanium-backend', env: 'dev', service_name: 'scanium-backend' } })),
          ...['alloy', 'loki', 'tempo', 'mimir'].map((j) => ({ labels: { job: j, instance: `${j}:1234`, source: 'pipeline', env: 'dev' }, ageMs: 0 })),
        ],
        logs: [],
        traces: [],
        lokiVersion: '2.9.3',
        tempoVersion: '2.7.0',
      };
    case 'logs-other-services':
      return {
        ...healthy(),
        description:
          'Loki has fresh logs for other services only; one of them (a docker stream) carries source="scanium-backend" (FM-3), so the name is found under another label.',
        logs: [
          ...logFeeds(svcs.filter((s) => s !== 'scanium-backend')),
          { labels: { service_name: 'grafana', source: 'scanium-backend', env: 'dev' }, ageMs: 0 },
        ],
        lokiVersion: '2.9.3',
      };
    case 'stale-logs':
      return {
        ...healthy(),
        description: "scanium-backend's newest log line is 3 h old; everything else is fresh.",
        logs: logFeeds(svcs).map((f) => (f.labels.service_name === 'scanium-backend' ? { ...f, ageMs: 3 * HOUR } : f)),
      };
    case 'stale-metrics':
      return {
        ...healthy(),
        description: "scanium-backend's newest metric sample is 3 h old (written with old timestamps into the real Prometheus); everything else is fresh.",
        metrics: metricFeeds(svcs).map((f) => (f.labels.job === 'scanium-backend' ? { ...f, ageMs: 3 * HOUR } : f)),
      };
    case 'tempo-v1':
      return {
        ...healthy(),
        description:
          'Tempo 1.5 (pre-2.0): /api/v2/search/tag/… routes 404, v1 tag values are plain strings, buildinfo 404, TraceQL `q` ignored (use tags=).',
        tempoVersion: '1.5.0',
      };
    case 'proxy-502':
    case 'unreachable-loki':
      return { ...healthy(), description: 'The Loki data source points at a closed port: the Grafana proxy answers 502 with an empty body.', lokiFault: 'closed' };
    case 'token-rejected':
      return {
        ...healthy(),
        description: 'Grafana requires a token (anonymous off) and the world hands out a wrong one: every API call is 401 {"message":"Unauthorized"}.',
        grafanaAuth: { tokens: { 'glsa_correct_token_for_tests': 'Admin' }, give: 'glsa_wrong_token_for_tests' },
      };
    case 'html-error':
      return { ...healthy(), description: 'Loki sits behind a reverse proxy that answers every path with a 200 HTML login page.', lokiFault: 'html' };
    case 'truncated-json':
      return { ...healthy(), description: 'Loki answers 200 application/json whose body is cut mid-document.', lokiFault: 'truncated-json' };
    case 'hung':
      return { ...healthy(), description: 'Tempo accepts connections and never answers; metrics and logs are healthy.', tempoFault: 'hang' };
    case 'many-services': {
      const many = serviceNames(opts.services ?? 5000, []);
      return {
        description: `${many.length} services, all fresh in all three signals (Prometheus EMULATOR for cheapness).`,
        expected: many,
        metrics: metricFeeds(many),
        logs: logFeeds(many),
        traces: traceFeeds(many),
        promEmulator: true,
      };
    }
    case 'rate-limited':
      return { ...healthy(), description: 'Loki answers every query with 429 Too Many Requests (text/plain).', lokiFault: 'rate-limited' };
    case 'loki-auth-failed':
      return {
        ...healthy(),
        description:
          'Loki runs with auth_enabled but the Grafana data source sends no X-Scope-OrgID: Loki says 401 "no org id" and the Grafana proxy turns it into 400 "Authentication to data source failed".',
        lokiAuth: true,
      };
    case 'mimir':
      return {
        ...healthy(),
        description: 'Metrics from a Mimir-like backend (Prometheus EMULATOR with the API under /prometheus and Mimir buildinfo), like the seed stack.',
        mimir: true,
      };
    case 'quotes': {
      const odd = ['we"ird\\svc.*', "o'brien (eu)|[x]+?", 'ünï/cødé $svc{1}', 'scanium-backend'];
      return {
        description: 'Service names with quotes, backslashes, regex metacharacters and unicode, fresh in every backend.',
        expected: odd,
        metrics: metricFeeds(odd),
        logs: logFeeds(odd),
        traces: traceFeeds(odd),
      };
    }
  }
}

/** Sample times (ms) every `every` ms over `span` ms, ending `ageMs` before `now`. */
function times(now: number, ageMs: number, span = 10 * MIN, every = 15_000): number[] {
  const out: number[] = [];
  const end = now - ageMs;
  for (let t = end - span; t <= end; t += every) {
    out.push(Math.round(t));
  }
  return out;
}

function logLine(labels: Record<string, string>, tMs: number): string {
  const svc = labels.service_name ?? labels.source ?? 'unknown';
  return JSON.stringify({ level: 'info', msg: 'incoming request', service: svc, url: '/health', ts: new Date(tMs).toISOString() });
}

function traceAt(service: string, tMs: number, resource?: Record<string, string>): TempoTrace {
  return {
    traceID: newTraceId(),
    rootServiceName: service,
    rootTraceName: 'HTTP GET /health',
    startNs: BigInt(tMs) * 1_000_000n,
    durationMs: 3 + (tMs % 50),
    resource: { 'service.name': service, 'deployment.environment': 'production', ...(resource ?? {}) },
    span: { 'http.method': 'GET', 'http.route': '/health' },
  };
}

export async function startWorld(name: WorldName, opts: WorldOptions = {}): Promise<World> {
  if (!(WORLD_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown world "${name}"; known: ${WORLD_NAMES.join(', ')}`);
  }
  const spec = specFor(name, opts);
  const started: Array<{ close(): Promise<void> } | { stop(): Promise<void> }> = [];
  const faults: FaultServer[] = [];
  const now = Date.now();
  let heartbeat: NodeJS.Timeout | undefined;
  // Large worlds get sparser history (5 min, one point a minute) to keep memory and start-up small.
  const big = Math.max(spec.metrics.length, spec.logs.length, spec.traces.length) > 500;
  const seedTimes = (ageMs: number, every = 15_000) => (big ? times(now, ageMs, 5 * MIN, 60_000) : times(now, ageMs, 10 * MIN, every));

  try {
    // ---- metrics
    const usePromEmu = spec.promEmulator || spec.mimir || opts.usePrometheus === false;
    let prometheus: RealPrometheus | PrometheusEmulator;
    let promUrl: string;
    const promSeries = (f: Feed, ts: number[]): PromSeries[] => [
      { labels: { __name__: 'up', ...f.labels }, samples: ts.map((t) => [t, 1]) },
      { labels: { __name__: 'process_cpu_seconds_total', ...f.labels }, samples: ts.map((t, i) => [t, i * 0.25]) },
    ];
    if (usePromEmu) {
      const emu = await startPrometheusEmulator(spec.mimir ? { pathPrefix: '/prometheus', application: 'Grafana Mimir', version: '2.11.0' } : {});
      started.push(emu);
      for (const f of spec.metrics) {
        for (const s of promSeries(f, seedTimes(f.ageMs))) {
          emu.append(s.labels, s.samples);
        }
      }
      prometheus = emu;
      promUrl = emu.apiUrl;
    } else {
      const real = await startPrometheus();
      started.push(real);
      // Old samples need the OOO window only when fresher data exists; writing all at once is fine either way.
      await real.write(spec.metrics.flatMap((f) => promSeries(f, seedTimes(f.ageMs))));
      prometheus = real;
      promUrl = real.url;
    }

    // ---- logs
    const loki = await startLokiEmulator({ version: spec.lokiVersion ?? '3.5.1', maxEntriesPerStream: 2000, authEnabled: spec.lokiAuth });
    started.push(loki);
    for (const f of spec.logs) {
      loki.push(
        f.labels,
        seedTimes(f.ageMs).map((t) => [BigInt(t) * 1_000_000n, logLine(f.labels, t)])
      );
    }

    // ---- traces
    const tempo = await startTempoEmulator({ version: spec.tempoVersion ?? '2.7.0' });
    started.push(tempo);
    tempo.pushAll(spec.traces.flatMap((f) => seedTimes(f.ageMs, 30_000).map((t) => traceAt(f.service, t, f.resource))));

    // ---- broken upstreams
    let lokiUrl = loki.url;
    let tempoUrl = tempo.url;
    if (spec.lokiFault === 'closed') {
      lokiUrl = `http://127.0.0.1:${await closedPort()}`;
    } else if (spec.lokiFault) {
      const f = spec.lokiFault === 'rate-limited' ? await startFaultServer('status', { status: 429 }) : await startFaultServer(spec.lokiFault);
      faults.push(f);
      started.push(f);
      lokiUrl = f.url;
    }
    if (spec.tempoFault) {
      const f = await startFaultServer(spec.tempoFault);
      faults.push(f);
      started.push(f);
      tempoUrl = f.url;
    }

    // ---- data sources
    const total = Math.max(3, opts.datasourceCount ?? 3);
    const kinds: Array<{ type: BackendType; uid: string; name: string; url: string }> = [
      { type: 'prometheus', uid: 'MIMIR', name: 'Mimir', url: promUrl },
      { type: 'loki', uid: 'LOKI', name: 'Loki', url: lokiUrl },
      { type: 'tempo', uid: 'TEMPO', name: 'Tempo', url: tempoUrl },
    ];
    const gds: GrafanaDatasource[] = [];
    for (let i = 0; i < total; i++) {
      const k = kinds[i % 3];
      const n = Math.floor(i / 3) + 1;
      gds.push({
        uid: n === 1 ? k.uid : `${k.uid}-${n}`,
        name: n === 1 ? k.name : `${k.name} ${n}`,
        type: k.type,
        url: k.url,
        isDefault: i === 0,
        jsonData: k.type === 'prometheus' ? { httpMethod: 'POST', prometheusType: 'Mimir' } : {},
        proxyTimeoutMs: opts.proxyTimeoutMs,
      });
    }
    const grafana = await startGrafanaEmulator({
      datasources: gds,
      latencyMs: opts.latencyMs,
      tokens: spec.grafanaAuth?.tokens,
      requireAuth: spec.grafanaAuth !== undefined,
      anonymousRole: 'Admin',
      pluginSettings: { 'scanium-telemetrytruth-app': { enabled: true, jsonData: {} } },
    });
    started.push(grafana);

    // ---- heartbeat
    const hb = opts.heartbeatMs ?? 15_000;
    if (hb > 0) {
      heartbeat = setInterval(() => {
        const t = Date.now();
        const freshMetrics = spec.metrics.filter((f) => f.ageMs < MIN);
        if (freshMetrics.length) {
          const series = freshMetrics.flatMap((f) => promSeries(f, [t]));
          if ('write' in prometheus) {
            prometheus.write(series).catch(() => undefined);
          } else {
            for (const s of series) {
              prometheus.append(s.labels, s.samples);
            }
          }
        }
        for (const f of spec.logs.filter((x) => x.ageMs < MIN)) {
          loki.push(f.labels, [[BigInt(t) * 1_000_000n, logLine(f.labels, t)]]);
        }
        const tr = spec.traces.filter((x) => x.ageMs < MIN).map((f) => traceAt(f.service, t, f.resource));
        if (tr.length) {
          tempo.pushAll(tr);
        }
      }, hb);
      heartbeat.unref();
    }

    const directUrls: Record<string, string> = {};
    for (const d of gds) {
      directUrls[d.uid] = d.url;
    }
    let stopping: Promise<void> | undefined;
    return {
      name,
      grafanaUrl: grafana.url,
      token: spec.grafanaAuth?.give,
      datasources: gds.map((d) => ({ uid: d.uid, name: d.name, type: d.type as BackendType })),
      directUrls,
      expectedServices: spec.expected,
      grafana,
      backends: { prometheus, loki, tempo, faults },
      description: spec.description,
      stop() {
        if (!stopping) {
          if (heartbeat) {
            clearInterval(heartbeat);
          }
          stopping = stopAll(started);
        }
        return stopping;
      },
    };
  } catch (e) {
    if (heartbeat) {
      clearInterval(heartbeat);
    }
    await stopAll(started);
    throw e;
  }
}

async function stopAll(items: Array<{ close(): Promise<void> } | { stop(): Promise<void> }>): Promise<void> {
  await Promise.all(items.map((i) => ('stop' in i ? i.stop() : (i as RunningServer).close()).catch(() => undefined)));
}
