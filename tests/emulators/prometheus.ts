/**
 * EMULATOR — not the real server. A small in-memory Prometheus HTTP API (the subset Telemetry Truth
 * uses) for worlds that do not need the real binary (`usePrometheus: false`, `many-services`, the bench).
 * The REAL Prometheus (tests/support/prometheus.ts) stays the default for worlds that test metrics.
 *
 * Follows /work/shared/docs/backend-apis.md §3 (prometheus docs/querying/api.md, web/api/v1/api.go),
 * mimicking Prometheus 2.42–3.x:
 *  - `{status:"success",data}` envelope; errors `{status:"error",errorType,error}` with status by
 *    errorType (bad_data 400, execution 422);
 *  - `/api/v1/query` (instant; 5 m lookback), `/api/v1/query_range`, `/api/v1/labels`,
 *    `/api/v1/label/<name>/values`, `/api/v1/series` (match[] required), `/api/v1/status/buildinfo`,
 *    `/-/ready`, `/-/healthy`; GET and form POST;
 *  - metadata endpoints default to ALL TIME (series listed even without samples in range: trap 7);
 *  - time params: unix seconds (float) or RFC3339; milliseconds are silently read as seconds (trap 9);
 *  - optional path prefix (`/prometheus` like Mimir) and `X-Scope-OrgID` enforcement (401 `no org id`).
 * PromQL subset: see expr.ts.
 */
import type * as http from 'node:http';
import { formParams, listen, recording, sendJson, sendText, type LoggedRequest, type RunningServer } from './http';
import { computeLabelsKey, evaluate, ExprEvalError, ExprExecError, ExprParseError, LabelIndex, labelsKey, parseExpr, parseSelector, type Labels, type Matcher, type Sample, type Value } from './expr';

export interface PromEmuSeries {
  labels: Labels;
  /** [tsMs, value] */
  samples: Array<[number, number]>;
}

export interface PrometheusEmulatorOptions {
  version?: string;
  /** e.g. `/prometheus` to look like Mimir. */
  pathPrefix?: string;
  requireTenant?: boolean;
  series?: PromEmuSeries[];
  lookbackMs?: number;
  now?: () => number;
  /** Keep at most this many samples per series when appending. Default 1000. */
  maxSamplesPerSeries?: number;
  /** `Prometheus` (default) or `Grafana Mimir` (buildinfo `application`). */
  application?: 'Prometheus' | 'Grafana Mimir';
}

export interface PrometheusEmulator extends RunningServer {
  /** Base URL including the path prefix (what a Grafana data source would point at). */
  apiUrl: string;
  version: string;
  requests: LoggedRequest[];
  append(labels: Labels, samples: Array<[number, number]>): void;
  clear(): void;
}

interface Series {
  labels: Labels;
  /** [tsMs, value], ascending */
  samples: Array<[number, number]>;
}

class ApiError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
    readonly status: number
  ) {
    super(message);
  }
}

function parsePromTime(s: string, name: string): number {
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    return Math.round(Number(s) * 1000);
  }
  const t = Date.parse(s);
  if (!Number.isNaN(t) && /^\d{4}-\d\d-\d\dT/.test(s)) {
    return t;
  }
  throw new ApiError('bad_data', `invalid parameter "${name}": cannot parse "${s}" to a valid timestamp`, 400);
}

function fmt(v: number): string {
  if (Number.isNaN(v)) {
    return 'NaN';
  }
  if (!Number.isFinite(v)) {
    return v > 0 ? '+Inf' : '-Inf';
  }
  return String(v);
}

export async function startPrometheusEmulator(opts: PrometheusEmulatorOptions = {}): Promise<PrometheusEmulator> {
  const version = opts.version ?? '2.53.0';
  const prefix = (opts.pathPrefix ?? '').replace(/\/$/, '');
  const now = opts.now ?? Date.now;
  const lookback = opts.lookbackMs ?? 5 * 60_000;
  const maxSamples = opts.maxSamplesPerSeries ?? 1000;
  const requests: LoggedRequest[] = [];
  const store = new Map<string, Series>();
  // The same series by label value, so a selector visits only its candidates.
  const index = new LabelIndex<Series>();

  function append(labels: Labels, samples: Array<[number, number]>): void {
    const k = computeLabelsKey(labels);
    let s = store.get(k);
    if (!s) {
      s = { labels: { ...labels }, samples: [] };
      store.set(k, s);
      index.add(s);
    }
    s.samples.push(...samples);
    s.samples.sort((a, b) => a[0] - b[0]);
    if (s.samples.length > maxSamples) {
      s.samples.splice(0, s.samples.length - maxSamples);
    }
  }
  for (const s of opts.series ?? []) {
    append(s.labels, s.samples);
  }

  /** Index of the last sample with ts <= t, or -1. */
  function lastAtOrBefore(samples: Array<[number, number]>, t: number): number {
    let lo = 0;
    let hi = samples.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (samples[mid][0] <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo - 1;
  }

  /** Index of the first sample with ts > t. */
  function firstAfter(samples: Array<[number, number]>, t: number): number {
    return lastAtOrBefore(samples, t) + 1;
  }

  /** Index of the first sample with ts >= t. */
  function firstAtOrAfter(samples: Array<[number, number]>, t: number): number {
    let lo = 0;
    let hi = samples.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (samples[mid][0] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  const data = {
    instant(matchers: Matcher[], t: number): Sample[] {
      const out: Sample[] = [];
      for (const s of index.select(matchers)) {
        const i = lastAtOrBefore(s.samples, t);
        if (i >= 0 && s.samples[i][0] > t - lookback) {
          out.push({ labels: s.labels, value: s.samples[i][1], ts: s.samples[i][0] });
        }
      }
      return out;
    },
    range(matchers: Matcher[], _f: unknown, t: number, rangeMs: number) {
      const out: Array<{ labels: Labels; points: Array<[number, number]> }> = [];
      for (const s of index.select(matchers)) {
        // Samples in (t - range, t]; they are kept sorted by time.
        const points = s.samples.slice(firstAfter(s.samples, t - rangeMs), firstAfter(s.samples, t));
        if (points.length) {
          out.push({ labels: s.labels, points });
        }
      }
      return out;
    },
  };

  function parse(q: string) {
    try {
      return parseExpr(q, 'promql');
    } catch (e) {
      if (e instanceof ExprParseError) {
        throw new ApiError('bad_data', `invalid parameter "query": 1:${e.col}: parse error: ${e.message}`, 400);
      }
      throw e;
    }
  }

  function evalAt(q: ReturnType<typeof parse>, t: number): Value {
    try {
      return evaluate(q, t, data, 'promql');
    } catch (e) {
      if (e instanceof ExprEvalError) {
        throw new ApiError('bad_data', `invalid parameter "query": ${e.message}`, 400);
      }
      if (e instanceof ExprExecError) {
        throw new ApiError('execution', e.message, 422);
      }
      throw e;
    }
  }

  function window(p: URLSearchParams): { start: number; end: number } {
    return {
      start: p.get('start') ? parsePromTime(p.get('start')!, 'start') : -Infinity,
      end: p.get('end') ? parsePromTime(p.get('end')!, 'end') : Infinity,
    };
  }

  function selected(p: URLSearchParams, required: boolean): readonly Series[] {
    const matches = p.getAll('match[]');
    if (required && matches.length === 0) {
      throw new ApiError('bad_data', 'no match[] parameter provided', 400);
    }
    const sets: Matcher[][] = [];
    for (const m of matches) {
      try {
        sets.push(parseSelector(m, 'promql'));
      } catch (e) {
        throw new ApiError('bad_data', `invalid parameter "match[]": 1:1: parse error: ${e instanceof Error ? e.message : String(e)}`, 400);
      }
    }
    const { start, end } = window(p);
    // Like the TSDB index: a series counts if it has samples overlapping the window (block granularity ignored).
    let chosen: readonly Series[];
    if (sets.length <= 1) {
      chosen = index.select(sets[0] ?? null);
    } else {
      const any = new Set(sets.flatMap((ms) => index.select(ms)));
      chosen = index.all().filter((s) => any.has(s));
    }
    return chosen.filter((s) => {
      // Any sample in [start - 2 h, end]? (sorted by time)
      const i = firstAtOrAfter(s.samples, start - 2 * 3_600_000);
      return i < s.samples.length && s.samples[i][0] <= end;
    });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    let path = url.pathname;
    if (path === '/-/ready' || path === `${prefix}/-/ready`) {
      return sendText(res, 200, 'Prometheus Server is Ready.\n');
    }
    if (path === '/-/healthy') {
      return sendText(res, 200, 'Prometheus Server is Healthy.\n');
    }
    if (prefix && path === '/ready') {
      return sendText(res, 200, 'ready');
    }
    if (opts.requireTenant && !req.headers['x-scope-orgid']) {
      return sendText(res, 401, 'no org id\n');
    }
    if (prefix) {
      if (!path.startsWith(prefix + '/')) {
        // Mimir without the /prometheus prefix (trap 17).
        if (path !== '/api/v1/status/buildinfo') {
          return sendText(res, 404, '404 page not found\n');
        }
      } else {
        path = path.slice(prefix.length);
      }
    }
    const p = await formParams(req, url);
    try {
      switch (path) {
        case '/api/v1/status/buildinfo':
          return sendJson(res, 200, {
            status: 'success',
            data:
              opts.application === 'Grafana Mimir'
                ? { application: 'Grafana Mimir', version, revision: 'emulator', branch: 'HEAD', goVersion: 'go1.22.0', features: {} }
                : { version, revision: 'emulator', branch: 'HEAD', buildUser: 'emulator', buildDate: '20260101-00:00:00', goVersion: 'go1.22.0' },
          });
        case '/api/v1/query': {
          const q = parse(p.get('query') ?? '');
          const t = p.get('time') ? parsePromTime(p.get('time')!, 'time') : now();
          const v = evalAt(q, t);
          if (v.type === 'scalar') {
            return sendJson(res, 200, { status: 'success', data: { resultType: 'scalar', result: [t / 1000, fmt(v.value)] } });
          }
          if (v.type === 'matrix') {
            return sendJson(res, 200, {
              status: 'success',
              data: { resultType: 'matrix', result: v.series.map((s) => ({ metric: s.labels, values: s.points.map(([ts, x]) => [ts / 1000, fmt(x)]) })) },
            });
          }
          return sendJson(res, 200, { status: 'success', data: { resultType: 'vector', result: v.samples.map((s) => ({ metric: s.labels, value: [t / 1000, fmt(s.value)] })) } });
        }
        case '/api/v1/query_range': {
          const q = parse(p.get('query') ?? '');
          const start = parsePromTime(p.get('start') ?? '', 'start');
          const end = parsePromTime(p.get('end') ?? '', 'end');
          const stepRaw = p.get('step') ?? '';
          const step = /^[0-9.]+$/.test(stepRaw) ? Number(stepRaw) * 1000 : NaN;
          if (!(step > 0)) {
            throw new ApiError('bad_data', 'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer', 400);
          }
          if (end < start) {
            throw new ApiError('bad_data', 'invalid parameter "end": end timestamp must not be before start time', 400);
          }
          if ((end - start) / step > 11000) {
            throw new ApiError('bad_data', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)', 400);
          }
          const byKey = new Map<string, { metric: Labels; values: Array<[number, string]> }>();
          for (let t = start; t <= end; t += step) {
            const v = evalAt(q, t);
            const samples = v.type === 'vector' ? v.samples : v.type === 'scalar' ? [{ labels: {}, value: v.value, ts: t }] : [];
            for (const s of samples) {
              const k = labelsKey(s.labels);
              const r = byKey.get(k) ?? { metric: s.labels, values: [] };
              r.values.push([t / 1000, fmt(s.value)]);
              byKey.set(k, r);
            }
          }
          return sendJson(res, 200, { status: 'success', data: { resultType: 'matrix', result: [...byKey.values()] } });
        }
        case '/api/v1/labels': {
          const names = new Set<string>();
          for (const s of selected(p, false)) {
            Object.keys(s.labels).forEach((k) => names.add(k));
          }
          return sendJson(res, 200, { status: 'success', data: [...names].sort() });
        }
        case '/api/v1/series':
          return sendJson(res, 200, { status: 'success', data: selected(p, true).map((s) => s.labels) });
        default: {
          const lv = /^\/api\/v1\/label\/([^/]+)\/values$/.exec(path);
          if (lv) {
            const name = decodeURIComponent(lv[1]);
            const vals = new Set<string>();
            for (const s of selected(p, false)) {
              if (s.labels[name] !== undefined) {
                vals.add(s.labels[name]);
              }
            }
            return sendJson(res, 200, { status: 'success', data: [...vals].sort() });
          }
          return sendText(res, 404, '404 page not found\n');
        }
      }
    } catch (e) {
      if (e instanceof ApiError) {
        return sendJson(res, e.status, { status: 'error', errorType: e.errorType, error: e.message });
      }
      throw e;
    }
  }

  const server = await listen(recording(requests, handle));
  return {
    ...server,
    apiUrl: server.url + prefix,
    version,
    requests,
    append,
    clear: () => {
      store.clear();
      index.clear();
    },
  };
}
