/**
 * Tempo probe. Holdings: service tag values with explicit start/end (unix seconds): v2
 * `/api/v2/search/tag/resource.service.name/values`, falling back on 404 to v1
 * `/api/search/tag/service.name/values`; the element type (string vs `{type,value}`) is detected.
 * Freshness: tag values over the freshness window narrow the candidates, one batched TraceQL search
 * dates them, and only services still undated get a per-service search.
 */
import { Outcome, requestJson } from '../http';
import { narrowTagValues, narrowTraces, narrowVersion, TraceHit } from '../narrow';
import { regexAlternationString } from '../query/escape';
import { DatasourceFacts, emptyFacts, noData, Probe, ProbeInput, ServiceTarget } from '../facts';
import {
  chunkNames,
  groupTargets,
  labelOf,
  nsToMs,
  ranQuery,
  recordNewest,
  seconds,
  serviceQuery,
  traceqlAttribute,
  planDating,
} from './common';

export { traceqlAttribute };

/** Above this many services without fresh traces, report them stale without dating each one. */
export const TEMPO_MAX_PER_SERVICE_QUERIES = 50;

/**
 * What a cell shows: the service's TraceQL filter, not the batch that dated it. Tempo 1.x has no
 * TraceQL (it is searched with `tags=`), but the filter is still what to run once it is upgraded.
 */
const shown = (t: ServiceTarget) => serviceQuery('tempo', t.identity, t.name);

/** Attribute name as the v1 tag API wants it: plain, without scope. */
export function v1TagName(label: string): string {
  return label.replace(/^(resource|span|event|link|instrumentation)\./, '').replace(/^\./, '');
}

/** `with (most_recent=true)` exists from Tempo 2.8; unknown versions are assumed not to have it. */
export function supportsMostRecent(version: string | null): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return !!m && (Number(m[1]) > 2 || (Number(m[1]) === 2 && Number(m[2]) >= 8));
}

export const probeTempo: Probe = async (input) => {
  const { datasource, window: w } = input;
  const facts = emptyFacts(datasource, 'traces');
  const globalLabel = labelOf(input.globalIdentity);
  const { byLabel, selectors } = groupTargets(input.services);
  const labels = [...new Set([...(globalLabel ? [globalLabel] : []), ...byLabel.keys()])];

  // Tag values over the freshness window (the candidates for "fresh") are fetched up front, in parallel.
  const freshFrom = w.nowMs - w.freshnessSeconds * 1000;
  const [[build, ...valueOutcomes], recents] = await Promise.all([
    Promise.all([
      requestJson(input.ctx, { datasource, path: 'api/status/buildinfo' }, narrowVersion),
      ...labels.map((l) => tagValues(input, l, w.startMs, w.nowMs)),
    ]),
    Promise.all(labels.map((l) => tagValues(input, l, freshFrom, w.endMs))),
  ]);
  const recentByLabel = new Map(labels.map((l, i) => [l, recents[i]]));
  // buildinfo appeared in Tempo 2.3: a 404 only means an older Tempo.
  facts.version = build.ok ? build.value.version : null;
  const primary = valueOutcomes[0] ?? (build.ok || build.failure.cause === 'endpoint_missing' ? undefined : build);
  if (primary) {
    facts.latencyMs = primary.latencyMs;
    if (!primary.ok) {
      facts.failure = primary.failure;
      return facts;
    }
  } else {
    facts.latencyMs = build.latencyMs;
  }
  const listings = new Map(labels.map((label, i) => [label, valueOutcomes[i]]));
  const { groups, unlisted } = planDating('tempo', input, facts, byLabel, listings, globalLabel);
  const mode: TempoMode = {
    mostRecent: supportsMostRecent(facts.version),
    legacy: valueOutcomes.some((o) => o.legacy === true),
  };

  // Older Tempo ignores start/end on tag values and lists only what the ingesters hold (recent data),
  // so a service absent from the tag values may still have older traces in blocks: search first.
  const searchUnlisted = unlisted.length <= TEMPO_MAX_PER_SERVICE_QUERIES;
  await Promise.all([
    ...groups.map((g) => dateByLabel(input, facts, g.label, g.targets, mode, recentByLabel.get(g.label)!)),
    ...selectors.map((s) => newestTrace(input, facts, s, w.startMs, mode, true)),
    ...(searchUnlisted ? unlisted : []).map((target) => newestTrace(input, facts, target, w.startMs, mode, true)),
  ]);
  if (!searchUnlisted) {
    for (const target of unlisted) {
      facts.services.set(target.name, noData(target.identity, shown(target)));
    }
  }
  facts.holdsData =
    facts.seen.length > 0 || [...facts.services.values()].some((s) => s.newestMs !== null || s.staleUndated);
  facts.counts.servicesWithData = [...facts.services.values()].filter((s) => s.newestMs !== null).length;
  return facts;
};

async function tagValues(
  input: ProbeInput,
  label: string,
  fromMs: number,
  toMs: number
): Promise<Outcome<string[]> & { legacy?: boolean }> {
  const params = { start: seconds(fromMs), end: String(Math.ceil(toMs / 1000)) };
  const v2 = await requestJson(
    input.ctx,
    {
      datasource: input.datasource,
      path: `api/v2/search/tag/${encodeURIComponent(traceqlAttribute(label))}/values`,
      params,
    },
    narrowTagValues
  );
  if (v2.ok || v2.failure.cause !== 'endpoint_missing') {
    return v2;
  }
  const v1 = await requestJson(
    input.ctx,
    { datasource: input.datasource, path: `api/search/tag/${encodeURIComponent(v1TagName(label))}/values`, params },
    narrowTagValues
  );
  if (!v1.ok && v1.failure.cause === 'endpoint_missing') {
    return {
      ok: false,
      latencyMs: v1.latencyMs,
      failure: {
        ...v1.failure,
        message: `neither the v2 nor the v1 tag values endpoint answers: ${v1.failure.message}`,
      },
    };
  }
  return v1.ok ? { ...v1, legacy: true } : v1;
}

function search(
  input: ProbeInput,
  filter: { q: string } | { tags: string },
  fromMs: number,
  limit: number
): Promise<Outcome<TraceHit[]>> {
  return requestJson(
    input.ctx,
    {
      datasource: input.datasource,
      path: 'api/search',
      params: {
        ...filter,
        start: seconds(fromMs),
        end: String(Math.ceil(input.window.endMs / 1000)),
        limit: String(limit),
        ...('q' in filter ? { spss: '10' } : {}),
      },
    },
    narrowTraces
  );
}

/** A logfmt value for Tempo 1.x `tags=` search: quoted when it holds spaces, quotes or `=`. */
export function logfmtValue(value: string): string {
  return /[\s"=\\]/.test(value) || value === '' ? `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : value;
}

/** How to search this Tempo: TraceQL (2.0+, most_recent from 2.8) or legacy `tags=` (1.x). */
export interface TempoMode {
  mostRecent: boolean;
  /** Before 2.0: no v2 API, no TraceQL (`q` is ignored and every trace matches). */
  legacy: boolean;
}

async function dateByLabel(
  input: ProbeInput,
  facts: DatasourceFacts,
  label: string,
  targets: ServiceTarget[],
  mode: TempoMode,
  recent: Outcome<string[]>
) {
  const w = input.window;
  const freshFrom = w.nowMs - w.freshnessSeconds * 1000;
  const byName = new Map(targets.map((t) => [t.name, t]));
  if (byName.size === 0) {
    return;
  }
  const suffix = mode.mostRecent ? ' with (most_recent=true)' : '';

  // Candidates for "fresh": services with tag values inside the freshness window (a superset).
  const recentSet = new Set(recent.ok ? recent.value : []);
  const candidates = recent.ok ? [...byName.keys()].filter((n) => recentSet.has(n)) : [...byName.keys()];

  // Batched searches attribute traces to services by their root service and `service.name` span
  // attributes. Busy services can crowd quiet ones out of a batch's results, so what is left gets a
  // second round in small batches, and only then one search each.
  // Legacy Tempo ignores `q`, so a batch would return unrelated traces: it gets per-service searches.
  const batchRound = (names: string[], size: number) =>
    Promise.all(
      chunkNames(mode.legacy ? [] : names, size).map(async (chunk) => {
        const q = `{ ${traceqlAttribute(label)} =~ ${regexAlternationString(chunk)} }${suffix}`;
        ranQuery(facts, q);
        const o = await search(input, { q }, freshFrom, Math.min(5000, Math.max(20, chunk.length * 10)));
        if (o.ok) {
          const wanted = new Set(chunk);
          for (const hit of o.value) {
            for (const s of hit.services) {
              const t = wanted.has(s) ? byName.get(s) : undefined;
              if (t) {
                recordNewest(facts, t, nsToMs(hit.startNs), shown(t));
              }
            }
          }
        }
      })
    );
  const undatedCandidates = () => candidates.filter((n) => !facts.services.has(n));
  await batchRound(candidates, 500);
  if (undatedCandidates().length > TEMPO_MAX_PER_SERVICE_QUERIES) {
    await batchRound(undatedCandidates(), 25);
  }
  await Promise.all(undatedCandidates().map((n) => newestTrace(input, facts, byName.get(n)!, freshFrom, mode, false)));

  // Not fresh: date each over the lookback, or, when there are too many, report them stale undated.
  const stale = [...byName.keys()].filter((n) => !facts.services.has(n));
  if (stale.length <= TEMPO_MAX_PER_SERVICE_QUERIES) {
    await Promise.all(stale.map((n) => newestTrace(input, facts, byName.get(n)!, w.startMs, mode, true)));
  } else {
    for (const n of stale) {
      const t = byName.get(n)!;
      facts.services.set(n, { ...noData(t.identity, shown(t)), staleUndated: true });
    }
  }
}

/**
 * Newest trace of one service in [fromMs, end], searched with its TraceQL filter (the cell's query);
 * when `final` is false an empty answer leaves the service undated. Legacy Tempo is searched with
 * `tags=` (substring match), so only traces whose root service is exactly the name count there.
 */
async function newestTrace(
  input: ProbeInput,
  facts: DatasourceFacts,
  target: ServiceTarget,
  fromMs: number,
  mode: TempoMode,
  final: boolean
) {
  const filter = shown(target);
  const label = labelOf(target.identity);
  if (mode.legacy && !label) {
    facts.services.set(target.name, {
      ...noData(target.identity, filter),
      failure: {
        verdict: 'error',
        cause: 'query',
        status: null,
        path: 'api/search',
        message: 'This Tempo predates TraceQL (no v2 API): a selector identity cannot be checked here; use a label',
      },
    });
    return;
  }
  const request: { q: string } | { tags: string } = mode.legacy
    ? { tags: `${v1TagName(label!)}=${logfmtValue(target.name)}` }
    : { q: `${filter}${mode.mostRecent ? ' with (most_recent=true)' : ''}` };
  // Without most_recent, results are "the first N found", so ask for more and take the newest.
  const o = await search(input, request, fromMs, mode.mostRecent ? 20 : 200);
  if (!o.ok) {
    facts.services.set(target.name, { ...noData(target.identity, filter), failure: o.failure });
    return;
  }
  const hits = mode.legacy ? o.value.filter((h) => h.services.includes(target.name)) : o.value;
  const newest = hits.reduce<bigint | null>((m, h) => (m === null || h.startNs > m ? h.startNs : m), null);
  if (newest !== null) {
    recordNewest(facts, target, nsToMs(newest), filter);
  } else if (final) {
    facts.services.set(target.name, noData(target.identity, filter));
  }
}
