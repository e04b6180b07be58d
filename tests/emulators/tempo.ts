/**
 * EMULATOR — not the real server. An in-memory Grafana Tempo query API for tests, worlds and the bench.
 *
 * Shapes and errors follow /work/shared/docs/backend-apis.md §2 and §6 (grafana/tempo
 * docs/sources/tempo/api_docs/_index.md, pkg/api/http.go, pkg/tempopb/tempo.proto,
 * modules/frontend/combiner/common.go):
 *  - bare gogo-jsonpb bodies: empty repeated fields and zero scalars OMITTED (no traces → no `traces`
 *    key; no tag values → `{}`), uint64 as strings (`startTimeUnixNano`, `inspectedBytes`),
 *    `durationMs` omitted below 1 ms;
 *  - errors are text/plain (Go http.Error), 400 for bad params, 401 `no org id` with multitenancy;
 *  - start/end are unix SECONDS parsed as 32-bit: a millisecond value → 400
 *    `invalid start: strconv.ParseUint: parsing "…": value out of range` (search) /
 *    `…ParseInt…` (tag values);
 *  - without start/end only "recent" data (ingesters, last 15 min by default) is searched;
 *  - v1 tag values `/api/search/tag/<tag>/values` → PLAIN STRINGS, the tag is a literal attribute
 *    name (so `resource.service.name` finds nothing); v2 `/api/v2/search/tag/<scope.tag>/values` →
 *    `{type,value}` objects, unscoped `service.name` → 400 (validated since 2.2.0);
 *  - version gates: TraceQL `q` and v2 tag values since 2.0.0 (older: routes 404, `q` ignored),
 *    `/api/v2/search/tags` since 2.2.0, `/api/status/buildinfo` since 2.3.0,
 *    `with (most_recent=true)` since 2.8.0 (older → TraceQL parse error 400);
 *  - search results are "the first N" found, NOT newest first (we return a stable pseudo-random order,
 *    by a hash of the trace id), unless `most_recent=true` (newest first).
 * Versions mimicked: 1.5.x (tempo-v1 world: no v2 routes), 2.x (default 2.7.0 like the seed stack).
 */
import type * as http from 'node:http';
import { regexLiterals } from './expr';
import { compareVersions, listen, recording, sendJson, sendText, type LoggedRequest, type RunningServer } from './http';

export interface TempoTrace {
  traceID: string;
  rootServiceName: string;
  rootTraceName?: string;
  /** Start of the root span, ns since epoch. */
  startNs: bigint;
  durationMs: number;
  /** Resource attributes; `service.name` is the service. */
  resource: Record<string, string>;
  /** Span attributes (any span). */
  span?: Record<string, string>;
}

export interface TempoEmulatorOptions {
  version?: string;
  multitenancy?: boolean;
  traces?: TempoTrace[];
  /** What "recent" (ingester-only) means when start/end are not given. Default 15 min. */
  recentWindowMs?: number;
  now?: () => number;
  /** Keep at most this many traces per root service (oldest dropped) when pushing. Default 50. */
  maxTracesPerService?: number;
}

export interface TempoEmulator extends RunningServer {
  version: string;
  requests: LoggedRequest[];
  push(...traces: TempoTrace[]): void;
  /** Like push, for large arrays (no argument spreading). */
  pushAll(traces: TempoTrace[]): void;
  traces(): readonly TempoTrace[];
  clear(): void;
}

class BadRequest extends Error {}

/** Stable pseudo-random rank of a trace (FNV-1a of its id). */
function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Per trace, what every search needs: end time, order hash, start as a string. */
interface TraceMeta {
  startNs: bigint;
  durationMs: number;
  traceID: string;
  endNs: bigint;
  hash: number;
  startText: string;
}
const metaCache = new WeakMap<TempoTrace, TraceMeta>();

/** Memoised per trace object (recomputed if its id, start or duration changes): no BigInt work per request. */
function metaOf(t: TempoTrace): TraceMeta {
  const c = metaCache.get(t);
  if (c && c.startNs === t.startNs && c.durationMs === t.durationMs && c.traceID === t.traceID) {
    return c;
  }
  const m: TraceMeta = {
    startNs: t.startNs,
    durationMs: t.durationMs,
    traceID: t.traceID,
    endNs: t.startNs + BigInt(Math.round(t.durationMs * 1e6)),
    hash: idHash(t.traceID),
    startText: t.startNs.toString(),
  };
  metaCache.set(t, m);
  return m;
}

let traceCounter = 0;
/** A fresh 32-hex-digit trace id. */
export function newTraceId(): string {
  traceCounter++;
  const rand = Math.floor(Math.random() * 0xffffffff)
    .toString(16)
    .padStart(8, '0');
  return (Date.now().toString(16) + rand + traceCounter.toString(16)).padStart(32, '0').slice(-32);
}

type Cond = {
  attr: string;
  scope: 'resource' | 'span' | 'any' | 'intrinsic';
  op: '=' | '!=' | '=~' | '!~';
  value: string;
  re?: RegExp;
  /** The regex is a plain alternation of literals: these values, looked up instead of matched. */
  literals?: Set<string>;
};
interface TraceQL {
  conds: Cond[];
  mostRecent: boolean;
}

/** TraceQL subset: `{}`, `{ a = "x" && b =~ "y" }`, attributes `resource.x`, `span.x`, `.x`, intrinsic `rootServiceName`/`name`. */
function parseTraceQL(q: string, version: string): TraceQL {
  const src = q.trim();
  const fail = (col: number, msg: string): never => {
    throw new BadRequest(`invalid TraceQL query: parse error at line 1, col ${col}: ${msg}`);
  };
  let i = 0;
  const ws = () => {
    while (i < src.length && /\s/.test(src[i])) {
      i++;
    }
  };
  ws();
  if (src[i] !== '{') {
    fail(i + 1, 'syntax error: unexpected IDENTIFIER (the emulator supports only a single spanset filter)');
  }
  i++;
  const conds: Cond[] = [];
  ws();
  while (src[i] !== '}') {
    ws();
    const m = /^(resource|span)?\.([a-zA-Z0-9_.\-/]+)|^(rootServiceName|rootName|name|status|kind)/.exec(src.slice(i));
    if (!m) {
      fail(i + 1, 'syntax error: unexpected token (not supported by the emulator)');
    }
    const scope: Cond['scope'] = m![3] ? 'intrinsic' : ((m![1] as 'resource' | 'span' | undefined) ?? 'any');
    const attr = m![3] ?? m![2];
    i += m![0].length;
    ws();
    const op = /^(=~|!~|!=|=)/.exec(src.slice(i));
    if (!op) {
      fail(i + 1, 'syntax error: unexpected token, expecting comparison operator');
    }
    i += op![0].length;
    ws();
    if (src[i] !== '"') {
      fail(i + 1, 'syntax error: expected a string (the emulator supports only string comparisons)');
    }
    let j = i + 1;
    let val = '';
    while (j < src.length && src[j] !== '"') {
      if (src[j] === '\\') {
        const n = src[j + 1];
        val += n === 'n' ? '\n' : n === 't' ? '\t' : n;
        j += 2;
      } else {
        val += src[j++];
      }
    }
    if (j >= src.length) {
      fail(i + 1, 'unterminated string');
    }
    i = j + 1;
    const c: Cond = { attr, scope, op: op![0] as Cond['op'], value: val };
    if (c.op === '=~' || c.op === '!~') {
      try {
        c.re = new RegExp(`^(?:${val})$`, 's');
      } catch (e) {
        fail(i, `error parsing regexp: ${e instanceof Error ? e.message : String(e)}`);
      }
      const lits = regexLiterals(val);
      if (lits) {
        c.literals = new Set(lits);
      }
    }
    conds.push(c);
    ws();
    if (src.startsWith('&&', i)) {
      i += 2;
      ws();
      continue;
    }
    if (src[i] !== '}') {
      fail(i + 1, 'syntax error: unexpected token (the emulator supports only && of comparisons)');
    }
  }
  i++;
  ws();
  let mostRecent = false;
  if (i < src.length) {
    const w = /^with\s*\(\s*most_recent\s*=\s*true\s*\)\s*$/.exec(src.slice(i));
    if (!w || compareVersions(version, '2.8.0') < 0) {
      fail(i + 1, `syntax error: unexpected ${src.slice(i).split(/\s/)[0]}`);
    }
    mostRecent = true;
  }
  return { conds, mostRecent };
}

function condMatches(t: TempoTrace, c: Cond): boolean {
  if (c.scope === 'intrinsic') {
    return valueMatches(c.attr === 'rootServiceName' ? t.rootServiceName : c.attr === 'rootName' || c.attr === 'name' ? t.rootTraceName : undefined, c);
  }
  if (c.scope === 'resource') {
    return valueMatches(t.resource[c.attr], c);
  }
  if (c.scope === 'span') {
    return valueMatches(t.span?.[c.attr], c);
  }
  return valueMatches(t.resource[c.attr], c) || valueMatches(t.span?.[c.attr], c);
}

function valueMatches(v: string | undefined, c: Cond): boolean {
  if (v === undefined) {
    return false;
  }
  switch (c.op) {
    case '=':
      return v === c.value;
    case '!=':
      return v !== c.value;
    case '=~':
      return c.literals ? c.literals.has(v) : c.re!.test(v);
    default:
      return !(c.literals ? c.literals.has(v) : c.re!.test(v));
  }
}

/** Tempo's logfmt `tags=` filter: every k=v must be a case-insensitive substring match of some attribute. */
function tagsMatch(t: TempoTrace, tags: string): boolean {
  const pairs = [...tags.matchAll(/([^\s=]+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/g)].map((m) => [m[1], m[2] ?? m[3] ?? '']);
  return pairs.every(([k, v]) => {
    const candidates = [t.resource[k], t.span?.[k], k === 'root.service.name' ? t.rootServiceName : undefined];
    return candidates.some((c) => c !== undefined && c.toLowerCase().includes(v.toLowerCase()));
  });
}

export async function startTempoEmulator(opts: TempoEmulatorOptions = {}): Promise<TempoEmulator> {
  const version = opts.version ?? '2.7.0';
  const now = opts.now ?? Date.now;
  const recentMs = opts.recentWindowMs ?? 15 * 60_000;
  const maxPerService = opts.maxTracesPerService ?? 50;
  const requests: LoggedRequest[] = [];
  let traces: TempoTrace[] = [...(opts.traces ?? [])];
  const atLeast = (v: string) => compareVersions(version, v) >= 0;

  function push(...ts: TempoTrace[]): void {
    pushAll(ts);
  }
  function pushAll(ts: TempoTrace[]): void {
    for (const t of ts) {
      traces.push(t);
    }
    const counts = new Map<string, number>();
    for (const t of traces) {
      counts.set(t.rootServiceName, (counts.get(t.rootServiceName) ?? 0) + 1);
    }
    if ([...counts.values()].some((c) => c > maxPerService)) {
      const seen = new Map<string, number>();
      const kept: TempoTrace[] = [];
      for (let i = traces.length - 1; i >= 0; i--) {
        const n = (seen.get(traces[i].rootServiceName) ?? 0) + 1;
        seen.set(traces[i].rootServiceName, n);
        if (n <= maxPerService) {
          kept.push(traces[i]);
        }
      }
      traces = kept.reverse();
    }
  }

  /** start/end: `kind` names the Go parse function used by that handler (ParseUint for search, ParseInt for tags). */
  function window(p: URLSearchParams, kind: 'ParseUint' | 'ParseInt'): { from: bigint; to: bigint } {
    const parse = (name: 'start' | 'end'): number | null => {
      const s = p.get(name);
      if (s === null || s === '') {
        return null;
      }
      const limit = kind === 'ParseUint' ? 0xffffffff : 0x7fffffff;
      if (!/^-?\d+$/.test(s)) {
        throw new BadRequest(`invalid ${name}: strconv.${kind}: parsing ${JSON.stringify(s)}: invalid syntax`);
      }
      if (Number(s) > limit || (kind === 'ParseUint' && s.startsWith('-'))) {
        throw new BadRequest(`invalid ${name}: strconv.${kind}: parsing ${JSON.stringify(s)}: value out of range`);
      }
      return Number(s);
    };
    const start = parse('start');
    const end = parse('end');
    if (start && end) {
      if (end <= start) {
        // Tempo: "http.StatusBadRequest" for end <= start (search_sharder.go); exact wording UNCONFIRMED.
        throw new BadRequest(`invalid start (${start}) and end (${end}): start must be before end`);
      }
      return { from: BigInt(start) * 1_000_000_000n, to: BigInt(end) * 1_000_000_000n };
    }
    const nowNs = BigInt(now()) * 1_000_000n;
    return { from: nowNs - BigInt(recentMs) * 1_000_000n, to: nowNs + 60_000_000_000n };
  }

  function inWindow(t: TempoTrace, w: { from: bigint; to: bigint }): boolean {
    return metaOf(t).endNs >= w.from && t.startNs <= w.to;
  }

  function tagValues(tag: string, scope: 'literal' | 'resource' | 'span' | 'any' | 'intrinsic', w: { from: bigint; to: bigint }): string[] {
    const vals = new Set<string>();
    for (const t of traces) {
      if (!inWindow(t, w)) {
        continue;
      }
      if (scope === 'intrinsic') {
        if (tag === 'rootServiceName') {
          vals.add(t.rootServiceName);
        }
        continue;
      }
      // v1 ("literal"): the name is an unscoped attribute name; `resource.service.name` is looked up literally.
      const fromRes = scope !== 'span' ? t.resource[tag] : undefined;
      const fromSpan = scope !== 'resource' ? t.span?.[tag] : undefined;
      for (const v of [fromRes, fromSpan]) {
        if (v !== undefined) {
          vals.add(v);
        }
      }
    }
    return [...vals].sort();
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const p = url.searchParams;
    if (path === '/ready') {
      return sendText(res, 200, 'ready');
    }
    if (path === '/api/echo') {
      return sendText(res, 200, 'echo');
    }
    if (opts.multitenancy && !req.headers['x-scope-orgid']) {
      return sendText(res, 401, 'no org id\n');
    }
    try {
      if (path === '/api/status/buildinfo') {
        if (!atLeast('2.3.0')) {
          return sendText(res, 404, '404 page not found\n');
        }
        return sendJson(res, 200, { version, revision: 'emulator', branch: 'HEAD', buildUser: 'emulator', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.22.0' });
      }
      const v1 = /^\/api\/search\/tag\/([^/]+)\/values$/.exec(path);
      if (v1) {
        const w = window(p, 'ParseInt');
        const vals = tagValues(decodeURIComponent(v1[1]), 'literal', w);
        return sendJson(res, 200, vals.length ? { tagValues: vals, metrics: { inspectedBytes: '1024' } } : {});
      }
      const v2 = /^\/api\/v2\/search\/tag\/([^/]+)\/values$/.exec(path);
      if (v2) {
        if (!atLeast('2.0.0')) {
          return sendText(res, 404, '404 page not found\n');
        }
        const name = decodeURIComponent(v2[1]);
        let scope: 'resource' | 'span' | 'any' | 'intrinsic';
        let attr: string;
        const m = /^(resource|span)?\.(.+)$/.exec(name);
        if (m) {
          scope = (m[1] as 'resource' | 'span' | undefined) ?? 'any';
          attr = m[2];
        } else if (['rootServiceName', 'name', 'status', 'kind', 'duration', 'rootName'].includes(name)) {
          scope = 'intrinsic';
          attr = name;
        } else if (atLeast('2.2.0')) {
          const first = name.split('.')[0];
          throw new BadRequest(`please provide a valid tagName: failed to parse identifier ${name}: unknown identifier: ${first}`);
        } else {
          scope = 'any';
          attr = name;
        }
        const w = window(p, 'ParseInt');
        const vals = tagValues(attr, scope, w);
        return sendJson(res, 200, vals.length ? { tagValues: vals.map((v) => (v === '' ? { type: 'string' } : { type: 'string', value: v })), metrics: { inspectedBytes: '1024' } } : {});
      }
      if (path === '/api/search/tags' || path === '/api/v2/search/tags') {
        if (path.startsWith('/api/v2') && !atLeast('2.2.0')) {
          return sendText(res, 404, '404 page not found\n');
        }
        const w = window(p, 'ParseInt');
        const resTags = new Set<string>();
        const spanTags = new Set<string>();
        for (const t of traces) {
          if (inWindow(t, w)) {
            Object.keys(t.resource).forEach((k) => resTags.add(k));
            Object.keys(t.span ?? {}).forEach((k) => spanTags.add(k));
          }
        }
        if (path.startsWith('/api/v2')) {
          const scopes = [
            { name: 'resource', tags: [...resTags].sort() },
            { name: 'span', tags: [...spanTags].sort() },
          ].filter((s) => s.tags.length);
          return sendJson(res, 200, scopes.length ? { scopes } : {});
        }
        const all = [...new Set([...resTags, ...spanTags])].sort();
        return sendJson(res, 200, all.length ? { tagNames: all } : {});
      }
      if (path === '/api/search') {
        const q = atLeast('2.0.0') ? p.get('q') : null;
        const tags = p.get('tags');
        if (q && tags) {
          throw new BadRequest('invalid request: both tags and TraceQL query provided');
        }
        const tql = q ? parseTraceQL(q, version) : null;
        const limitRaw = p.get('limit');
        const limit = limitRaw ? Number(limitRaw) : 20;
        if (!Number.isInteger(limit) || limit <= 0) {
          throw new BadRequest(`invalid limit: ${limitRaw}`);
        }
        const w = window(p, 'ParseUint');
        let found = traces.filter((t) => inWindow(t, w) && (!tql || tql.conds.every((c) => condMatches(t, c))) && (!tags || tagsMatch(t, tags)));
        if (tql?.mostRecent) {
          found = [...found].sort((a, b) => (a.startNs > b.startNs ? -1 : a.startNs < b.startNs ? 1 : 0));
        } else {
          // "The first N found" by a parallel search: an arbitrary order, neither newest- nor oldest-first.
          // (Hashes computed once per trace, not per comparison; the sort is stable either way.)
          found = found
            .map((t) => ({ t, h: metaOf(t).hash }))
            .sort((a, b) => a.h - b.h)
            .map((x) => x.t);
        }
        const out = found.slice(0, limit).map((t) => {
          const o: Record<string, unknown> = { traceID: t.traceID, rootServiceName: t.rootServiceName };
          if (t.rootTraceName) {
            o.rootTraceName = t.rootTraceName;
          }
          o.startTimeUnixNano = metaOf(t).startText;
          const d = Math.floor(t.durationMs);
          if (d >= 1) {
            o.durationMs = d;
          }
          return o;
        });
        const metrics = { inspectedTraces: found.length || undefined, inspectedBytes: String(1024 + traces.length * 100), totalBlocks: 1 };
        return sendJson(res, 200, out.length ? { traces: out, metrics } : { metrics });
      }
      const tr = /^\/api\/(v2\/)?traces\/([0-9a-fA-F]+)$/.exec(path);
      if (tr) {
        const t = traces.find((x) => x.traceID.toLowerCase() === tr[2].toLowerCase().padStart(32, '0'));
        if (!t) {
          return sendText(res, 404, 'trace not found\n');
        }
        const resourceSpans = [
          {
            resource: { attributes: Object.entries(t.resource).map(([key, value]) => ({ key, value: { stringValue: value } })) },
            scopeSpans: [{ spans: [{ traceId: t.traceID, name: t.rootTraceName ?? '', startTimeUnixNano: t.startNs.toString() }] }],
          },
        ];
        return sendJson(res, 200, tr[1] ? { trace: { resourceSpans } } : { batches: resourceSpans });
      }
      return sendText(res, 404, '404 page not found\n');
    } catch (e) {
      if (e instanceof BadRequest) {
        return sendText(res, 400, e.message);
      }
      throw e;
    }
  }

  const server = await listen(recording(requests, handle));
  return {
    ...server,
    version,
    requests,
    push,
    pushAll,
    traces: () => traces,
    clear: () => {
      traces = [];
    },
  };
}
