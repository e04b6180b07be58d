/**
 * An in-memory fake of the three backends' native APIs, just deep enough for the engine's unit tests:
 * a datasource holds streams (label sets, each with the timestamp of its newest datum) and answers the
 * documented endpoints with the documented shapes (see bodies.ts for sources). Matchers in queries are
 * evaluated for real (the escaped regex is decoded and run), so escaping bugs make tests fail.
 */
import { DatasourceRef, Transport, TransportRequest, TransportResponse } from '../model';
import * as B from './bodies';

export interface FakeStream {
  labels: Record<string, string>;
  newestMs: number;
}

export interface FakeBackend {
  ref: DatasourceRef;
  streams: FakeStream[];
  version?: string | null;
  /** Tempo without the v2 API (before 2.0): v2 paths answer 404. */
  tempoV1Only?: boolean;
  /** Answer this instead (per path prefix), e.g. a 502 or an HTML page. */
  override?: (req: TransportRequest) => TransportResponse | Promise<TransportResponse> | undefined;
}

export interface RecordedRequest {
  uid: string;
  path: string;
  params: Record<string, string | string[]>;
}

export function createFakeTransport(backends: FakeBackend[]): Transport & { requests: RecordedRequest[] } {
  const byUid = new Map(backends.map((b) => [b.ref.uid, b]));
  const requests: RecordedRequest[] = [];
  return {
    requests,
    async request(req) {
      requests.push({ uid: req.datasource.uid, path: req.path, params: req.params ?? {} });
      const b = byUid.get(req.datasource.uid);
      if (!b) {
        return { status: 404, body: { message: 'Unable to find datasource' } };
      }
      const o = await b.override?.(req);
      if (o) {
        return o;
      }
      const p = (k: string) => {
        const v = req.params?.[k];
        return Array.isArray(v) ? v[0] : v;
      };
      switch (b.ref.type) {
        case 'prometheus':
          return prometheus(b, req.path, p);
        case 'loki':
          return loki(b, req.path, p);
        case 'tempo':
          return tempo(b, req.path, p);
      }
    },
  };
}

type Param = (k: string) => string | undefined;
const ok = (body: unknown): TransportResponse => ({ status: 200, body, contentType: 'application/json' });
const notFound: TransportResponse = { status: 404, body: '404 page not found\n' };

/** Decode the matchers of the first `{…}` selector of a query into predicates. */
export function selectorPredicate(query: string): (labels: Record<string, string>) => boolean {
  const m = /\{([^{}]*?(?:"(?:[^"\\]|\\.)*"[^{}]*?)*)\}/.exec(query);
  if (!m) {
    return () => true;
  }
  const matchers: Array<(l: Record<string, string>) => boolean> = [];
  const re = /\s*(?:(resource|span)?\.)?([A-Za-z_][\w.]*|"(?:[^"\\]|\\.)*")\s*(=~|!=|=)\s*("(?:[^"\\]|\\.)*")/g;
  let mm: RegExpExecArray | null;
  while ((mm = re.exec(m[1])) !== null) {
    const name = mm[2].startsWith('"') ? (JSON.parse(mm[2]) as string) : mm[2];
    const value = JSON.parse(mm[4]) as string;
    const op = mm[3];
    if (op === '=~') {
      const rx = new RegExp(`^(?:${value})$`, 'u');
      matchers.push((l) => rx.test(l[name] ?? ''));
    } else if (op === '=') {
      matchers.push((l) => (l[name] ?? '') === value);
    } else {
      matchers.push((l) => (l[name] ?? '') !== value);
    }
  }
  return (labels) => matchers.every((f) => f(labels));
}

function labelValues(b: FakeBackend, label: string, fromMs: number, toMs: number): string[] {
  const out = new Set<string>();
  for (const s of b.streams) {
    if (s.newestMs >= fromMs && s.newestMs <= toMs + 3600_000 && s.labels[label] !== undefined) {
      out.add(s.labels[label]);
    }
  }
  return [...out].sort();
}

function labelNames(b: FakeBackend, fromMs: number): string[] {
  return [...new Set(b.streams.filter((s) => s.newestMs >= fromMs).flatMap((s) => Object.keys(s.labels)))].sort();
}

function unU(name: string): string {
  return name.startsWith('U__')
    ? name
        .slice(3)
        .replace(/_([0-9a-f]+)_/g, (_m, h) => String.fromCodePoint(parseInt(h, 16)))
        .replace(/__/g, '_')
    : name;
}

function prometheus(b: FakeBackend, path: string, p: Param): TransportResponse {
  const sec = (k: string) => Number(p(k)) * 1000;
  if (path === 'api/v1/status/buildinfo') {
    return b.version === null
      ? notFound
      : ok({ ...B.promBuildinfo, data: { ...B.promBuildinfo.data, version: b.version ?? '2.42.0' } });
  }
  if (path === 'api/v1/labels') {
    return ok(B.promLabelValues(labelNames(b, sec('start'))));
  }
  const lv = /^api\/v1\/label\/([^/]+)\/values$/.exec(path);
  if (lv) {
    return ok(B.promLabelValues(labelValues(b, unU(decodeURIComponent(lv[1])), sec('start'), sec('end'))));
  }
  if (path === 'api/v1/query') {
    const query = p('query') ?? '';
    const at = sec('time');
    // Bucketed dating `max by (job) (max_over_time(timestamp(count by (job) (last_over_time(sel[S])))[R:S]))`:
    // the answer is the end of the newest bucket (t − S, t] holding a raw sample, t a multiple of S.
    const sub = /\[(\d+)s:(\d+)s\]/.exec(query);
    const range = /\[(\d+)s\]/.exec(query);
    const step = sub ? Number(sub[2]) * 1000 : 0;
    const from = sub ? at - Number(sub[1]) * 1000 - step : at - (range ? Number(range[1]) * 1000 : 300_000);
    const pred = selectorPredicate(query);
    const hits = b.streams.filter((s) => pred(s.labels) && s.newestMs > from && s.newestMs <= at);
    const by = /by \(([^)]+)\)/.exec(query)?.[1];
    const isCount = query.startsWith('count');
    const groups = new Map<string, number>();
    for (const s of hits) {
      const key = by ? (s.labels[by] ?? '') : '';
      const t = sub ? Math.ceil(s.newestMs / step) * step : s.newestMs;
      const v = isCount ? (groups.get(key) ?? 0) + 1 : Math.max(groups.get(key) ?? 0, t / 1000);
      groups.set(key, v);
    }
    return ok(
      B.promVector(
        [...groups].map(([key, v]) => ({
          metric: by && key ? { [by]: key } : {},
          value: [at / 1000, String(v)] as [number, string],
        }))
      )
    );
  }
  return notFound;
}

function nsParam(p: Param, k: string): number {
  const v = p(k) ?? '0';
  return v.length > 10 ? Number(BigInt(v) / BigInt(1000000)) : Number(v) * 1000;
}

function loki(b: FakeBackend, path: string, p: Param): TransportResponse {
  if (path === 'loki/api/v1/status/buildinfo') {
    return b.version === null ? notFound : ok({ ...B.lokiBuildinfo, version: b.version ?? '3.5.1' });
  }
  if (path === 'loki/api/v1/labels') {
    const names = labelNames(b, nsParam(p, 'start'));
    return ok(names.length ? B.lokiLabels(names) : B.lokiLabelsEmpty);
  }
  const lv = /^loki\/api\/v1\/label\/([^/]+)\/values$/.exec(path);
  if (lv) {
    const values = labelValues(b, decodeURIComponent(lv[1]), nsParam(p, 'start'), nsParam(p, 'end'));
    return ok(values.length ? B.lokiLabels(values) : B.lokiLabelsEmpty);
  }
  if (path === 'loki/api/v1/query_range') {
    const query = p('query') ?? '';
    const start = nsParam(p, 'start');
    const end = nsParam(p, 'end');
    const pred = selectorPredicate(query);
    const metric = /^sum by \(([^)]+)\) \(count_over_time\(.*\[(\d+)s\]\)\)$/.exec(query);
    if (metric) {
      const [, by, stepText] = metric;
      const step = Number(p('step')) * 1000;
      const window = Number(stepText) * 1000;
      const groups = new Map<string, number>();
      for (const s of b.streams) {
        // Evaluations at start, start+step, …; each counts lines in (t − window, t].
        if (pred(s.labels) && s.newestMs > start - window && s.newestMs <= end) {
          const t = start + Math.max(0, Math.ceil((s.newestMs - start) / step)) * step;
          groups.set(s.labels[by], Math.max(groups.get(s.labels[by]) ?? 0, t));
        }
      }
      if (groups.size > 500) {
        return { status: 400, body: 'maximum of series (500) reached for a single query' };
      }
      return ok(B.lokiMatrix([...groups].map(([v, t]) => ({ metric: { [by]: v }, values: [[t / 1000, '1']] }))));
    }
    const hits = b.streams
      .filter((s) => pred(s.labels) && s.newestMs >= start && s.newestMs < end)
      .sort((x, y) => y.newestMs - x.newestMs);
    const limit = Number(p('limit') ?? '100');
    return ok(
      B.lokiStreams(
        hits.slice(0, limit).map((s) => ({
          stream: s.labels,
          values: [[`${BigInt(s.newestMs) * BigInt(1000000) + BigInt(123456)}`, 'line']],
        }))
      )
    );
  }
  return notFound;
}

function tempo(b: FakeBackend, path: string, p: Param): TransportResponse {
  const sec = (k: string) => Number(p(k)) * 1000;
  if (path === 'api/status/buildinfo') {
    return b.version === null ? notFound : ok(B.tempoBuildinfo(b.version ?? '2.9.0'));
  }
  const v2 = /^api\/v2\/search\/tag\/([^/]+)\/values$/.exec(path);
  if (v2) {
    if (b.tempoV1Only) {
      return notFound;
    }
    const tag = decodeURIComponent(v2[1]);
    if (!tag.startsWith('resource.') && !tag.startsWith('span.') && !tag.startsWith('.')) {
      return { status: 400, body: `please provide a valid tagName: failed to parse identifier ${tag}` };
    }
    const values = labelValues(b, tag.replace(/^(resource|span)?\./, ''), sec('start'), sec('end'));
    return ok(values.length ? B.tempoTagValuesV2(values) : B.tempoEmpty);
  }
  const v1 = /^api\/search\/tag\/([^/]+)\/values$/.exec(path);
  if (v1) {
    const values = labelValues(b, decodeURIComponent(v1[1]), sec('start'), sec('end'));
    return ok(values.length ? B.tempoTagValuesV1(values) : B.tempoEmpty);
  }
  if (path === 'api/search') {
    // Tempo 1.x has no TraceQL: `q` is ignored (every trace matches) and `tags=k=v` matches substrings.
    const tags = /^([^=]+)=(?:"((?:[^"\\]|\\.)*)"|(.*))$/.exec(p('tags') ?? '');
    const pred = b.tempoV1Only
      ? (l: Record<string, string>) =>
          !tags || (l[tags[1]] ?? '').includes(tags[2] !== undefined ? tags[2].replace(/\\(.)/g, '$1') : tags[3])
      : selectorPredicate(p('q') ?? '');
    const start = sec('start');
    const end = sec('end');
    const hits = b.streams
      .filter((s) => pred(s.labels) && s.newestMs >= start && s.newestMs <= end)
      .sort((x, y) => y.newestMs - x.newestMs);
    const limit = Number(p('limit') ?? '20');
    return hits.length === 0
      ? ok(B.tempoSearchNone)
      : ok(
          B.tempoSearch(
            hits
              .slice(0, limit)
              .map((s) => ({ service: s.labels['service.name'], startNs: `${BigInt(s.newestMs) * BigInt(1000000)}` }))
          )
        );
  }
  return notFound;
}
