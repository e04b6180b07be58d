/**
 * Loki probe. Holdings: `labels` and `label/<name>/values` with explicit start/end in ns (a response
 * without `data` is empty). Freshness: one batched metric query per ≤400 services (`max_query_series`
 * is 500 by default) over the freshness window; only services not fresh there get a per-service
 * `query_range … direction=backward&limit=1` for the exact newest line (ns, BigInt-safe).
 */
import { Outcome, requestJson } from '../http';
import { narrowNewestLogNs, narrowSamples, narrowStringList, narrowVersion } from '../narrow';
import { regexAlternationString } from '../query/escape';
import {
  ALTERNATIVE_IDENTITY_LABELS,
  DatasourceFacts,
  emptyFacts,
  noData,
  Probe,
  ProbeInput,
  ServiceTarget,
} from '../facts';
import {
  chunkNames,
  groupTargets,
  labelOf,
  labelRef,
  markAlternatives,
  matcher,
  msToNsString,
  nsToMs,
  ranQuery,
  recordBucket,
  recordNewest,
  serviceQuery,
  planDating,
} from './common';

/** Services per batched metric query: one series each, well under Loki's default max_query_series (500). */
export const LOKI_BATCH_SERIES = 400;
/** Above this many services to date individually, date them with one coarse batched query instead. */
export const LOKI_MAX_PER_SERVICE_QUERIES = 50;

/** What a cell shows: the service's stream selector, not the batch that dated it. */
const shown = (t: ServiceTarget) => serviceQuery('loki', t.identity, t.name);

export const probeLoki: Probe = async (input) => {
  const { ctx, datasource, window: w } = input;
  const facts = emptyFacts(datasource, 'logs');
  const range = { start: msToNsString(w.startMs), end: msToNsString(w.nowMs) };
  const get = <T>(path: string, params: Record<string, string>, narrow: (b: unknown) => T | undefined) =>
    requestJson(ctx, { datasource, path, params }, narrow);
  const labelValues = (label: string) =>
    get(`loki/api/v1/label/${encodeURIComponent(label)}/values`, range, narrowStringList);

  const globalLabel = labelOf(input.globalIdentity);
  const { byLabel, selectors } = groupTargets(input.services);
  const labels = [...new Set([...(globalLabel ? [globalLabel] : []), ...byLabel.keys()])];

  // Label names are only needed to tell `empty` from `missing` when nothing was found, and to look
  // for alternative identity labels; the healthy path skips them.
  let labelNames: Promise<Outcome<string[]>> | undefined;
  const getLabelNames = () => (labelNames ??= get('loki/api/v1/labels', range, narrowStringList));
  const [build, ...valueOutcomes] = await Promise.all([
    get('loki/api/v1/status/buildinfo', {}, narrowVersion),
    ...(labels.length > 0 ? labels.map(labelValues) : [getLabelNames()]),
  ]);
  facts.version = build.ok ? build.value.version : null;
  const primary = valueOutcomes[0];
  facts.latencyMs = primary.latencyMs;
  if (!primary.ok) {
    facts.failure = primary.failure;
    return facts;
  }
  const listings = new Map(labels.map((label, i) => [label, valueOutcomes[i]]));
  const { groups, unlisted, values } = planDating('loki', input, facts, byLabel, listings, globalLabel);
  for (const t of unlisted) {
    facts.services.set(t.name, noData(t.identity, shown(t)));
  }

  await Promise.all([
    ...groups.map((g) => dateByLabel(input, facts, g.label, g.targets)),
    ...selectors.map((s) => newestLine(input, facts, s)),
  ]);

  const found = () => [...facts.services.values()].some((sf) => sf.newestMs !== null);
  if (facts.seen.length > 0 || found()) {
    facts.holdsData = true;
  } else {
    const names = await getLabelNames();
    if (!names.ok) {
      facts.failure = names.failure;
      return facts;
    }
    facts.holdsData = names.value.length > 0;
    facts.counts.labels = names.value.length;
  }
  facts.counts.servicesWithData = [...facts.services.values()].filter((sf) => sf.newestMs !== null).length;

  const undated = [...facts.services.values()].some((sf) => sf.newestMs === null && !sf.failure);
  if (!input.discovery && facts.holdsData && undated) {
    const names = await getLabelNames();
    const present = names.ok ? new Set(names.value) : new Set<string>();
    const candidates = ALTERNATIVE_IDENTITY_LABELS.filter((l) => !values.has(l) && present.has(l));
    const fetched = await Promise.all(candidates.map(labelValues));
    candidates.forEach((l, i) => {
      const o = fetched[i];
      if (o.ok) {
        values.set(l, new Set(o.value));
      }
    });
    markAlternatives(facts, values);
  }
  return facts;
};

async function dateByLabel(input: ProbeInput, facts: DatasourceFacts, label: string, targets: ServiceTarget[]) {
  const w = input.window;
  const byName = new Map(targets.map((t) => [t.name, t]));

  const batch = async (names: string[], fromMs: number, stepSeconds: number) => {
    const query = `sum by (${labelRef(label)}) (count_over_time({${matcher(label, '=~', regexAlternationString(names))}}[${stepSeconds}s]))`;
    ranQuery(facts, query);
    const o = await requestJson(
      input.ctx,
      {
        datasource: input.datasource,
        path: 'loki/api/v1/query_range',
        params: {
          query,
          start: msToNsString(fromMs + stepSeconds * 1000),
          end: msToNsString(w.endMs),
          step: String(stepSeconds),
        },
      },
      narrowSamples
    );
    if (!o.ok) {
      for (const n of names) {
        const t = byName.get(n)!;
        facts.services.set(n, { ...noData(t.identity, shown(t)), failure: o.failure });
      }
      return;
    }
    for (const s of o.value) {
      const t = byName.get(s.labels[label]);
      if (t) {
        recordBucket(facts, t, s.time, stepSeconds, shown(t), w.nowMs);
      }
    }
  };

  // 1. Who has lines within the freshness window? Buckets of freshness/10, aligned to end at now.
  const freshStep = Math.max(1, Math.ceil(w.freshnessSeconds / 10));
  const fromMs = w.nowMs - Math.max(1, Math.floor(w.freshnessSeconds / freshStep)) * freshStep * 1000;
  await Promise.all(chunkNames([...byName.keys()], LOKI_BATCH_SERIES).map((names) => batch(names, fromMs, freshStep)));

  // 2. The rest: exact newest line per service, or one coarse batch when there are too many.
  const undated = [...byName.keys()].filter((n) => !facts.services.has(n));
  if (undated.length <= LOKI_MAX_PER_SERVICE_QUERIES) {
    await Promise.all(undated.map((n) => newestLine(input, facts, byName.get(n)!)));
  } else {
    const step = Math.max(60, Math.ceil((w.endMs - w.startMs) / 1000 / 200 / 60) * 60);
    await Promise.all(chunkNames(undated, LOKI_BATCH_SERIES).map((names) => batch(names, w.startMs, step)));
  }
  for (const [n, t] of byName) {
    if (!facts.services.has(n)) {
      facts.services.set(n, noData(t.identity, shown(t)));
    }
  }
}

/**
 * Exact newest line of one service in the lookback (clock-skew allowance included), queried with the
 * same stream selector the cell shows.
 */
async function newestLine(input: ProbeInput, facts: DatasourceFacts, target: ServiceTarget) {
  const w = input.window;
  const query = shown(target);
  const o = await requestJson(
    input.ctx,
    {
      datasource: input.datasource,
      path: 'loki/api/v1/query_range',
      params: { query, limit: '1', direction: 'backward', start: msToNsString(w.startMs), end: msToNsString(w.endMs) },
    },
    narrowNewestLogNs
  );
  if (!o.ok) {
    facts.services.set(target.name, { ...noData(target.identity, query), failure: o.failure });
  } else if (o.value.newestNs !== null) {
    recordNewest(facts, target, nsToMs(o.value.newestNs), query);
  } else {
    facts.services.set(target.name, noData(target.identity, query));
  }
}
