/**
 * EMULATOR — not the real server. An in-memory Grafana Loki HTTP API for tests, worlds and the bench.
 *
 * Response shapes and error texts follow /work/shared/docs/backend-apis.md §1 and §6, which cites
 * grafana/loki docs/sources/reference/loki-http-api.md and pkg/loghttp/*.go, pkg/util/marshal/*.go,
 * pkg/logqlmodel/error.go, pkg/querier/queryrange/limits.go:
 *  - success envelope `{status:"success", data}`; buildinfo and index/stats are BARE JSON;
 *  - labels / label values with no data → `{"status":"success"}` with NO `data` key (omitempty);
 *  - series with no data → `"data":[]`;
 *  - errors are text/plain; selector without a non-empty = / =~ matcher → 400 parse error;
 *  - log line values `[nsString, line]`; metric samples `[seconds number, "value"]`;
 *  - time params: float → seconds, ≤10 digit int → seconds, longer int → ns, else RFC3339(Nano);
 *    default end = now, start = end − since (default 1h) for EVERY endpoint;
 *  - `max_query_series` (default 500) and `max_entries_limit_per_query` (default 5000) enforced;
 *  - instant log query → 400 from v3.2.0, empty streams result before (start = end = time);
 *  - `/index/volume` only from v2.9.0 and only when volume is enabled (default false < 3.1.0) → else 404;
 *  - labels/values use a time-slack for the ingester's in-memory index (a stream stays listed for
 *    `indexSlackMs`, default 30 m, after its last entry: grafana/loki#10834);
 *  - Loki ≥ 3.0 derives `service_name` at ingest when absent (validation/limits.go discover_service_name);
 *  - `auth_enabled: true` → 401 `no org id` without X-Scope-OrgID.
 * Versions mimicked: 2.9.x (the seed stack's 2.9.3) and 3.x (default 3.5.1).
 */
import type * as http from 'node:http';
import { compareVersions, formParams, listen, recording, sendJson, sendText, type LoggedRequest, type RunningServer } from './http';
import {
  EmptyCompatibleError,
  evaluate,
  ExprEvalError,
  ExprParseError,
  computeLabelsKey,
  LabelIndex,
  labelsKey,
  lineMatches,
  parseExpr,
  parseSelector,
  type DataAccess,
  type Labels,
  type LineFilter,
  type Matcher,
  type RangeSeries,
  type Sample,
} from './expr';

export interface LokiStreamInput {
  labels: Labels;
  /** [ns timestamp (bigint), line] — any order; stored ascending. */
  entries?: Array<[bigint, string]>;
}

export interface LokiEmulatorOptions {
  version?: string;
  /** Emulate `auth_enabled: true` (401 `no org id` without X-Scope-OrgID). Default false (like the seed stack). */
  authEnabled?: boolean;
  /** Per-tenant `volume_enabled`; default false before 3.1.0, true from 3.1.0. */
  volumeEnabled?: boolean;
  maxQuerySeries?: number;
  maxEntriesLimitPerQuery?: number;
  /** How long after its last entry a stream stays visible to labels/values/series (ingester index). */
  indexSlackMs?: number;
  /** Derive service_name at ingest (default: version ≥ 3.0.0). */
  discoverServiceName?: boolean;
  streams?: LokiStreamInput[];
  now?: () => number;
  /** Largest number of entries kept per stream (oldest dropped). Default 10,000. */
  maxEntriesPerStream?: number;
}

export interface LokiEmulator extends RunningServer {
  version: string;
  requests: LoggedRequest[];
  /** Add a stream or append entries to an existing one with identical labels. */
  push(labels: Labels, entries: Array<[bigint, string]>): void;
  streams(): ReadonlyArray<{ labels: Labels; entries: ReadonlyArray<[bigint, string]> }>;
  clear(): void;
}

interface Stream {
  labels: Labels;
  key: string;
  entries: Array<[bigint, string]>;
  /** Per entry: time in ms and line size in bytes, derived from `entries` (dropped when they change). */
  derived?: { ms: number[]; bytes: number[] };
}

/** Entry times in whole ms and line sizes, computed once per change of the stream, not per query step. */
function derived(s: Stream): { ms: number[]; bytes: number[] } {
  if (!s.derived) {
    s.derived = {
      ms: s.entries.map((e) => Number(e[0] / NS_PER_MS)),
      bytes: s.entries.map((e) => Buffer.byteLength(e[1])),
    };
  }
  return s.derived;
}

const SERVICE_NAME_SOURCES = [
  'service',
  'app',
  'application',
  'app_name',
  'name',
  'app_kubernetes_io_name',
  'container',
  'container_name',
  'k8s_container_name',
  'component',
  'workload',
  'job',
  'k8s_job_name',
];

class BadRequest extends Error {}

/** Loki's parseTimestamp (pkg/loghttp/params.go). Returns ns. */
export function parseLokiTime(value: string, name: string): bigint {
  if (value.includes('.')) {
    const f = Number(value);
    if (!Number.isFinite(f)) {
      throw new BadRequest(`invalid parameter "${name}": cannot parse "${value}" to a valid timestamp`);
    }
    return BigInt(Math.round(f * 1e6)) * 1000n;
  }
  if (/^-?\d+$/.test(value)) {
    const digits = value.replace('-', '').length;
    return digits <= 10 ? BigInt(value) * 1_000_000_000n : BigInt(value);
  }
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(value);
  if (m) {
    const base = Date.parse(`${m[1]}${m[3]}`);
    if (!Number.isNaN(base)) {
      const frac = m[2] ? BigInt((m[2].slice(1) + '000000000').slice(0, 9)) : 0n;
      return BigInt(base) * 1_000_000n + frac;
    }
  }
  throw new BadRequest(`invalid parameter "${name}": cannot parse "${value}" to a valid timestamp`);
}

/** Loki renders stream labels in a stable, sorted order. */
function sortedLabels(l: Labels): Labels {
  const o: Labels = {};
  for (const k of Object.keys(l).sort()) {
    o[k] = l[k];
  }
  return o;
}

/** First index with entries[i][0] >= ts */
function lowerBound(entries: Array<[bigint, string]>, ts: bigint): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid][0] < ts) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

const NS_PER_MS = 1_000_000n;

function formatValue(v: number): string {
  if (Number.isInteger(v)) {
    return String(v);
  }
  return String(v);
}

export async function startLokiEmulator(opts: LokiEmulatorOptions = {}): Promise<LokiEmulator> {
  const version = opts.version ?? '3.5.1';
  const now = opts.now ?? Date.now;
  const v3 = compareVersions(version, '3.0.0') >= 0;
  const discover = opts.discoverServiceName ?? v3;
  const volumeEnabled = opts.volumeEnabled ?? compareVersions(version, '3.1.0') >= 0;
  const maxSeries = opts.maxQuerySeries ?? 500;
  const maxEntries = opts.maxEntriesLimitPerQuery ?? 5000;
  const slackNs = BigInt(opts.indexSlackMs ?? 30 * 60_000) * NS_PER_MS;
  const maxPerStream = opts.maxEntriesPerStream ?? 10_000;
  const streams = new Map<string, Stream>();
  // The same streams by label value, so a selector visits only its candidates.
  const index = new LabelIndex<Stream>();
  const requests: LoggedRequest[] = [];

  function push(labelsIn: Labels, entries: Array<[bigint, string]>): void {
    const labels = { ...labelsIn };
    if (discover && labels.service_name === undefined) {
      const src = SERVICE_NAME_SOURCES.find((k) => labels[k] !== undefined && labels[k] !== '');
      labels.service_name = src ? labels[src] : 'unknown_service';
    }
    const key = computeLabelsKey(labels);
    let s = streams.get(key);
    if (!s) {
      s = { labels: sortedLabels(labels), key, entries: [] };
      streams.set(key, s);
      index.add(s);
    }
    s.derived = undefined;
    s.entries.push(...entries);
    s.entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    if (s.entries.length > maxPerStream) {
      s.entries.splice(0, s.entries.length - maxPerStream);
    }
  }
  for (const s of opts.streams ?? []) {
    push(s.labels, s.entries ?? []);
  }

  /** Streams visible to the index (labels/values/series) in [start, end]. */
  function indexed(start: bigint, end: bigint, matchers: Matcher[] | null): Stream[] {
    const out: Stream[] = [];
    for (const s of index.select(matchers)) {
      const i = lowerBound(s.entries, start - slackNs);
      if (i < s.entries.length && s.entries[i][0] <= end) {
        out.push(s);
      }
    }
    return out;
  }

  function bounds(p: URLSearchParams): { start: bigint; end: bigint } {
    const nowNs = BigInt(now()) * NS_PER_MS;
    const end = p.get('end') ? parseLokiTime(p.get('end')!, 'end') : nowNs;
    let sinceNs = 3_600_000_000_000n;
    if (p.get('since')) {
      const ms = durationToMs(p.get('since')!);
      if (ms === null) {
        throw new BadRequest(`invalid parameter "since": not a valid duration string: "${p.get('since')}"`);
      }
      sinceNs = BigInt(ms) * NS_PER_MS;
    }
    const start = p.get('start') ? parseLokiTime(p.get('start')!, 'start') : (end < nowNs ? end : nowNs) - sinceNs;
    return { start, end };
  }

  function parseErr(e: unknown): string {
    if (e instanceof EmptyCompatibleError) {
      return `parse error : ${e.message}`;
    }
    if (e instanceof ExprParseError) {
      return `parse error at line 1, col ${e.col}: ${e.message}`;
    }
    return e instanceof Error ? e.message : String(e);
  }

  const data: DataAccess = {
    instant(): Sample[] {
      throw new ExprEvalError('log selector used where a metric expression is required');
    },
    range(matchers: Matcher[], filters: LineFilter[], tMs: number, rangeMs: number): RangeSeries[] {
      const to = BigInt(tMs) * NS_PER_MS;
      const from = to - BigInt(rangeMs) * NS_PER_MS;
      const out: RangeSeries[] = [];
      for (const s of index.select(matchers)) {
        const points: Array<[number, number]> = [];
        const { ms, bytes } = derived(s);
        for (let i = lowerBound(s.entries, from + 1n); i < s.entries.length && s.entries[i][0] <= to; i++) {
          if (filters.length === 0 || lineMatches(s.entries[i][1], filters)) {
            points.push([ms[i], bytes[i]]);
          }
        }
        if (points.length > 0) {
          out.push({ labels: s.labels, points });
        }
      }
      return out;
    },
  };

  function seriesLimit(n: number): void {
    if (n > maxSeries) {
      throw new BadRequest(`maximum of series (${maxSeries}) reached for a single query`);
    }
  }

  function logQuery(
    matchers: Matcher[],
    filters: LineFilter[],
    start: bigint,
    end: bigint,
    limit: number,
    backward: boolean
  ): Array<{ stream: Labels; values: Array<[string, string]> }> {
    const all: Array<{ s: Stream; e: [bigint, string] }> = [];
    for (const s of index.select(matchers)) {
      for (let i = lowerBound(s.entries, start); i < s.entries.length && s.entries[i][0] < end; i++) {
        if (filters.length === 0 || lineMatches(s.entries[i][1], filters)) {
          all.push({ s, e: s.entries[i] });
        }
      }
    }
    all.sort((a, b) => (a.e[0] < b.e[0] ? -1 : a.e[0] > b.e[0] ? 1 : 0) * (backward ? -1 : 1));
    const picked = all.slice(0, limit);
    const byStream = new Map<string, { stream: Labels; values: Array<[string, string]> }>();
    for (const { s, e } of picked) {
      let r = byStream.get(s.key);
      if (!r) {
        r = { stream: s.labels, values: [] };
        byStream.set(s.key, r);
      }
      r.values.push([e[0].toString(), e[1]]);
    }
    return [...byStream.values()];
  }

  function stats(lines: number, bytes: number) {
    return {
      summary: {
        bytesProcessedPerSecond: 0,
        linesProcessedPerSecond: 0,
        totalBytesProcessed: bytes,
        totalLinesProcessed: lines,
        execTime: 0.001,
        queueTime: 0,
        subqueries: 0,
        totalEntriesReturned: lines,
      },
    };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    if (path === '/ready') {
      return sendText(res, 200, 'ready\n');
    }
    if (path === '/metrics') {
      return sendText(res, 200, '# emulator: no metrics\n');
    }
    if (opts.authEnabled && !req.headers['x-scope-orgid']) {
      return sendText(res, 401, 'no org id\n');
    }
    if (path === '/loki/api/v1/status/buildinfo') {
      return sendJson(res, 200, {
        version,
        revision: 'emulator',
        branch: 'HEAD',
        buildUser: 'emulator',
        buildDate: '2026-01-01T00:00:00Z',
        goVersion: 'go1.22.0',
      });
    }
    const p = await formParams(req, url);
    try {
      if (path === '/loki/api/v1/labels' || path === '/loki/api/v1/label') {
        const { start, end } = bounds(p);
        const m = compareVersions(version, '2.8.0') >= 0 && p.get('query') ? parseSelector(p.get('query')!, 'logql') : null;
        const names = new Set<string>();
        for (const s of indexed(start, end, m)) {
          Object.keys(s.labels).forEach((k) => names.add(k));
        }
        return sendJson(res, 200, names.size ? { status: 'success', data: [...names].sort() } : { status: 'success' });
      }
      const lv = /^\/loki\/api\/v1\/label\/([^/]+)\/values$/.exec(path);
      if (lv) {
        const name = decodeURIComponent(lv[1]);
        const { start, end } = bounds(p);
        const m = compareVersions(version, '2.8.0') >= 0 && p.get('query') ? parseSelector(p.get('query')!, 'logql') : null;
        const values = new Set<string>();
        for (const s of indexed(start, end, m)) {
          if (s.labels[name] !== undefined) {
            values.add(s.labels[name]);
          }
        }
        return sendJson(res, 200, values.size ? { status: 'success', data: [...values].sort() } : { status: 'success' });
      }
      if (path === '/loki/api/v1/series') {
        const { start, end } = bounds(p);
        const sels = [...p.getAll('match[]'), ...p.getAll('match')];
        const out = new Map<string, Labels>();
        const groups: Array<Matcher[] | null> = sels.length === 0 || (sels.length === 1 && sels[0].trim() === '{}') ? [null] : sels.map((s) => parseSelector(s, 'logql'));
        for (const g of groups) {
          for (const s of indexed(start, end, g)) {
            out.set(s.key, s.labels);
          }
        }
        return sendJson(res, 200, { status: 'success', data: [...out.values()] });
      }
      if (path === '/loki/api/v1/query_range' || path === '/loki/api/v1/query') {
        return queryEndpoint(res, p, path.endsWith('query_range'));
      }
      if (path === '/loki/api/v1/index/stats') {
        const { start, end } = bounds(p);
        const q = p.get('query');
        if (!q) {
          throw new BadRequest('parse error : syntax error: unexpected $end');
        }
        const m = parseSelector(q, 'logql');
        let entries = 0;
        let bytes = 0;
        let n = 0;
        for (const s of index.select(m)) {
          let any = false;
          for (let i = lowerBound(s.entries, start); i < s.entries.length && s.entries[i][0] <= end; i++) {
            entries++;
            bytes += Buffer.byteLength(s.entries[i][1]);
            any = true;
          }
          n += any ? 1 : 0;
        }
        return sendJson(res, 200, { streams: n, chunks: n, bytes, entries });
      }
      if (path === '/loki/api/v1/index/volume' || path === '/loki/api/v1/index/volume_range') {
        if (compareVersions(version, '2.9.0') < 0) {
          return sendText(res, 404, '404 page not found\n');
        }
        if (!volumeEnabled) {
          return sendText(res, 404, 'not found\n');
        }
        const { start, end } = bounds(p);
        const q = p.get('query');
        if (!q) {
          throw new BadRequest('parse error : syntax error: unexpected $end');
        }
        const m = parseSelector(q, 'logql');
        const target = p.get('targetLabels') ? p.get('targetLabels')!.split(',').map((x) => x.trim()).filter(Boolean) : m.map((x) => x.name);
        const bySeries = p.get('aggregateBy') === 'series';
        const groups = new Map<string, { metric: Labels; bytes: number }>();
        for (const s of index.select(m)) {
          let bytes = 0;
          for (let i = lowerBound(s.entries, start); i < s.entries.length && s.entries[i][0] <= end; i++) {
            bytes += Buffer.byteLength(s.entries[i][1]);
          }
          if (bytes === 0) {
            continue;
          }
          const metric: Labels = {};
          for (const k of bySeries ? Object.keys(s.labels) : target) {
            if (s.labels[k] !== undefined) {
              metric[k] = s.labels[k];
            }
          }
          const k = labelsKey(metric);
          const g = groups.get(k) ?? { metric, bytes: 0 };
          g.bytes += bytes;
          groups.set(k, g);
        }
        const limit = Number(p.get('limit') ?? '100');
        const tSec = Number(end / 1_000_000_000n);
        const result = [...groups.values()]
          .sort((a, b) => b.bytes - a.bytes)
          .slice(0, limit)
          .map((g) => ({ metric: g.metric, value: [tSec, String(g.bytes)] }));
        return sendJson(res, 200, { status: 'success', data: { resultType: 'vector', result } });
      }
      return sendText(res, 404, '404 page not found\n');
    } catch (e) {
      if (e instanceof BadRequest) {
        return sendText(res, 400, e.message);
      }
      if (e instanceof ExprParseError) {
        return sendText(res, 400, parseErr(e));
      }
      if (e instanceof ExprEvalError) {
        return sendText(res, 400, e.message);
      }
      throw e;
    }
  }

  function queryEndpoint(res: http.ServerResponse, p: URLSearchParams, range: boolean): void {
    const q = p.get('query');
    if (!q) {
      throw new BadRequest('parse error : syntax error: unexpected $end');
    }
    const ast = parseExpr(q, 'logql');
    const limit = p.get('limit') !== null ? Number(p.get('limit')) : 100;
    if (!Number.isInteger(limit) || limit <= 0) {
      throw new BadRequest('limit must be a positive value');
    }
    const backward = (p.get('direction') ?? 'backward').toLowerCase() !== 'forward';
    if (ast.kind === 'selector' && ast.rangeMs === undefined) {
      // Log query.
      if (limit > maxEntries) {
        throw new BadRequest(`max entries limit per query exceeded, limit > max_entries_limit (${limit} > ${maxEntries})`);
      }
      if (!range) {
        if (compareVersions(version, '3.2.0') >= 0) {
          throw new BadRequest('log queries are not supported as an instant query type, please change your query to a range query type');
        }
        return sendJson(res, 200, { status: 'success', data: { resultType: 'streams', result: [], stats: stats(0, 0) } });
      }
      const { start, end } = bounds(p);
      if (end <= start) {
        throw new BadRequest('end timestamp must not be before or equal to start time');
      }
      const result = logQuery(ast.matchers, ast.filters, start, end, limit, backward);
      const lines = result.reduce((a, r) => a + r.values.length, 0);
      return sendJson(res, 200, { status: 'success', data: { resultType: 'streams', result, stats: stats(lines, 0) } });
    }
    if (!range) {
      const t = p.get('time') ? parseLokiTime(p.get('time')!, 'time') : BigInt(now()) * NS_PER_MS;
      const tMs = Number(t / NS_PER_MS);
      const v = evaluate(ast, tMs, data, 'logql');
      const samples = v.type === 'vector' ? v.samples : v.type === 'scalar' ? null : [];
      if (samples === null) {
        return sendJson(res, 200, { status: 'success', data: { resultType: 'scalar', result: [tMs / 1000, formatValue((v as { value: number }).value)], stats: stats(0, 0) } });
      }
      seriesLimit(samples.length);
      const result = samples.map((s) => ({ metric: s.labels, value: [tMs / 1000, formatValue(s.value)] }));
      return sendJson(res, 200, { status: 'success', data: { resultType: 'vector', result, stats: stats(0, 0) } });
    }
    const { start, end } = bounds(p);
    if (end < start) {
      throw new BadRequest('end timestamp must not be before or equal to start time');
    }
    const startMs = Number(start / NS_PER_MS);
    const endMs = Number(end / NS_PER_MS);
    let stepMs: number;
    if (p.get('step')) {
      const raw = p.get('step')!;
      const d = /^[0-9.]+$/.test(raw) ? Number(raw) * 1000 : durationToMs(raw);
      if (d === null || !(d > 0)) {
        throw new BadRequest('zero or negative query resolution step widths are not accepted. Try a positive integer');
      }
      stepMs = d;
    } else {
      stepMs = Math.max(Math.floor((endMs - startMs) / 250_000), 1) * 1000;
    }
    if ((endMs - startMs) / stepMs > 11000) {
      throw new BadRequest('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
    }
    const byKey = new Map<string, { metric: Labels; values: Array<[number, string]> }>();
    for (let t = startMs; t <= endMs; t += stepMs) {
      const v = evaluate(ast, t, data, 'logql');
      if (v.type !== 'vector') {
        throw new ExprEvalError('expected a metric query');
      }
      for (const s of v.samples) {
        const k = labelsKey(s.labels);
        let r = byKey.get(k);
        if (!r) {
          r = { metric: s.labels, values: [] };
          byKey.set(k, r);
          seriesLimit(byKey.size);
        }
        r.values.push([t / 1000, formatValue(s.value)]);
      }
    }
    return sendJson(res, 200, { status: 'success', data: { resultType: 'matrix', result: [...byKey.values()], stats: stats(0, 0) } });
  }

  const server = await listen(recording(requests, handle));
  return {
    ...server,
    version,
    requests,
    push,
    streams: () => [...streams.values()],
    clear: () => {
      streams.clear();
      index.clear();
    },
  };
}

function durationToMs(s: string): number | null {
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let end = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += parseFloat(m[1]) * unit[m[2]];
    end = re.lastIndex;
  }
  return end === s.length && s.length > 0 ? total : null;
}
