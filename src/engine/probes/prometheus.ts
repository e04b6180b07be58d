/**
 * Prometheus / Mimir / Cortex / Thanos probe (datasource type `prometheus`).
 * Holdings: label values of the identity label with explicit start/end (index only, never taken as
 * data). Freshness: one batched instant query per batch of services (`timestamp()` sees samples within
 * the 5 m lookback delta), then one batched subquery over the lookback for the rest. OTLP metrics have
 * no `up`, so every series of the service counts, not `up`.
 */
import { Outcome, requestJson } from '../http';
import { narrowSamples, narrowStringList, narrowVersion, Sample } from '../narrow';
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
  expandSelector,
  groupTargets,
  labelOf,
  labelRef,
  markAlternatives,
  matcher,
  promLabelPathName,
  ranQuery,
  recordBucket,
  seconds,
  serviceQuery,
  planDating,
} from './common';

/**
 * How a batch is dated. `timestamp(selector)` would give exact sample times, but it drops the metric
 * name, and Prometheus then refuses any job with two metrics sharing the other labels ("vector cannot
 * contain metrics with the same labelset", 422). `last_over_time` keeps the name, so
 * `count by (job) (last_over_time(sel[S]))` says, exactly and without the 5 m lookback-delta smear,
 * whether a job has a raw sample in (t − S, t]; a subquery over those buckets dates the newest one
 * to within S seconds.
 */
export interface BucketPlan {
  /** Evaluation time (s), a multiple of the step so the last bucket reaches past `now`. */
  at: number;
  /** Subquery range (s), a multiple of the step, so the first bucket starts inside the window. */
  range: number;
  step: number;
}

export function bucketPlan(fromMs: number, toMs: number, step: number): BucketPlan {
  const at = Math.ceil(toMs / 1000 / step) * step;
  const range = Math.max(step, Math.floor((at - fromMs / 1000) / step) * step);
  return { at, range, step };
}

export function bucketQuery(by: string, selector: string, plan: BucketPlan): string {
  const grouping = by ? ` ${by}` : '';
  return `max${grouping} (max_over_time(timestamp(count${grouping} (last_over_time(${selector}[${plan.step}s])))[${plan.range}s:${plan.step}s]))`;
}

/** Buckets of ~1/20 of the freshness window (15 s for 5 m), and 5 m over the lookback. */
const freshStep = (freshnessSeconds: number) => Math.max(1, Math.round(freshnessSeconds / 20));
const LOOKBACK_STEP_SECONDS = 300;

/** What a cell shows: the per-service query, not the batch that dated it. */
const shown = (t: ServiceTarget) => serviceQuery('prometheus', t.identity, t.name);

export const probePrometheus: Probe = async (input) => {
  const { ctx, datasource, window: w } = input;
  const facts = emptyFacts(datasource, 'metrics');
  const get = <T>(path: string, params: Record<string, string>, narrow: (b: unknown) => T | undefined) =>
    requestJson(ctx, { datasource, path, params }, narrow);
  const range = { start: seconds(w.startMs), end: seconds(w.nowMs) };
  const instant = (query: string, atMs: number) => get('api/v1/query', { query, time: seconds(atMs) }, narrowSamples);
  const batched: Instant = (query, atMs) => {
    ranQuery(facts, query);
    return instant(query, atMs);
  };

  const globalLabel = labelOf(input.globalIdentity);
  const { byLabel, selectors } = groupTargets(input.services);
  const labels = [...new Set([...(globalLabel ? [globalLabel] : []), ...byLabel.keys()])];
  const labelValues = (label: string) =>
    get(`api/v1/label/${encodeURIComponent(promLabelPathName(label))}/values`, range, narrowStringList);

  const [build, ...valueOutcomes] = await Promise.all([
    get('api/v1/status/buildinfo', {}, narrowVersion),
    ...labels.map(labelValues),
  ]);
  facts.version = build.ok ? build.value.version : null;
  const primary: Outcome<unknown> = valueOutcomes[0] ?? build;
  facts.latencyMs = primary.latencyMs;
  if (!primary.ok && !(primary === build && primary.failure.cause === 'endpoint_missing')) {
    facts.failure =
      primary.failure.cause === 'endpoint_missing'
        ? {
            ...primary.failure,
            message: `${primary.failure.message} (for Mimir the datasource URL must end in /prometheus)`,
          }
        : primary.failure;
    return facts;
  }
  // Which services to date, per identity label. Those absent from the label values have no series at all.
  const listings = new Map(labels.map((label, i) => [label, valueOutcomes[i]]));
  const { groups, unlisted, values } = planDating('prometheus', input, facts, byLabel, listings, globalLabel);
  for (const t of unlisted) {
    facts.services.set(t.name, noData(t.identity, shown(t)));
  }

  await Promise.all([
    ...groups.map((g) => dateByLabel(input, facts, g.label, g.targets, batched)),
    ...selectors.map((s) => dateSelector(input, facts, s, instant)),
  ]);

  let dated = [...facts.services.values()].some((s) => s.newestMs !== null);
  if (!dated) {
    dated = await holdsAnyData(input, facts, globalLabel, batched);
  }
  facts.holdsData = dated;
  facts.counts.servicesWithData = [...facts.services.values()].filter((s) => s.newestMs !== null).length;

  if (
    !input.discovery &&
    facts.holdsData &&
    [...facts.services.values()].some((s) => s.newestMs === null && !s.failure)
  ) {
    await findAlternatives(input, facts, values, range);
  }
  return facts;
};

type Instant = (query: string, atMs: number) => Promise<Outcome<Sample[]>>;

async function dateByLabel(
  input: ProbeInput,
  facts: DatasourceFacts,
  label: string,
  targets: ServiceTarget[],
  instant: Instant
) {
  const { window: w } = input;
  const byName = new Map(targets.map((t) => [t.name, t]));
  const by = `by (${labelRef(label)})`;
  const selector = (names: string[]) => `{${matcher(label, '=~', regexAlternationString(names))}}`;

  const run = async (names: string[], plan: BucketPlan) => {
    const o = await instant(bucketQuery(by, selector(names), plan), plan.at * 1000);
    if (!o.ok) {
      for (const n of names) {
        const t = byName.get(n)!;
        facts.services.set(n, { ...noData(t.identity, shown(t)), failure: o.failure });
      }
      return;
    }
    for (const s of o.value) {
      const t = byName.get(s.labels[label]);
      if (t && Number.isFinite(s.value)) {
        recordBucket(facts, t, s.value, plan.step, shown(t), w.nowMs);
      }
    }
  };

  const fresh = bucketPlan(w.nowMs - w.freshnessSeconds * 1000, w.endMs, freshStep(w.freshnessSeconds));
  await Promise.all(chunkNames([...byName.keys()], 2000).map((names) => run(names, fresh)));
  const undated = [...byName.keys()].filter((n) => !facts.services.has(n));
  const lookback = bucketPlan(w.startMs, w.endMs, LOOKBACK_STEP_SECONDS);
  await Promise.all(chunkNames(undated, 2000).map((names) => run(names, lookback)));
  for (const [n, t] of byName) {
    if (!facts.services.has(n)) {
      facts.services.set(n, noData(t.identity, shown(t)));
    }
  }
}

async function dateSelector(
  input: ProbeInput,
  facts: DatasourceFacts,
  target: ServiceTarget & { identity: { selector: string } },
  instant: Instant
) {
  const w = input.window;
  const selector = expandSelector(target.identity.selector, target.name);
  const plans = [
    bucketPlan(w.nowMs - w.freshnessSeconds * 1000, w.endMs, freshStep(w.freshnessSeconds)),
    bucketPlan(w.startMs, w.endMs, LOOKBACK_STEP_SECONDS),
  ];
  const query = shown(target);
  for (const plan of plans) {
    const o = await instant(bucketQuery('', selector, plan), plan.at * 1000);
    if (!o.ok) {
      facts.services.set(target.name, { ...noData(target.identity, query), failure: o.failure });
      return;
    }
    const newest = o.value.reduce<number | null>((m, s) => (m === null || s.value > m ? s.value : m), null);
    if (newest !== null) {
      recordBucket(facts, target, newest, plan.step, query, w.nowMs);
      return;
    }
    facts.services.set(target.name, noData(target.identity, query));
  }
}

function subqueryRange(input: ProbeInput): string {
  return `${Math.ceil((input.window.endMs - input.window.startMs) / 1000)}s`;
}

/**
 * Nothing found for any expected service: does the datasource hold samples at all (missing vs empty)?
 * First date a few of the services the index lists (cheap, targeted); only then count every series.
 * When the counts themselves fail, the index listing is the best evidence left.
 */
async function holdsAnyData(
  input: ProbeInput,
  facts: DatasourceFacts,
  label: string | null,
  instant: Instant
): Promise<boolean> {
  const w = input.window;
  const others = facts.seen.filter((n) => !facts.services.has(n));
  if (label && others.length > 0) {
    const plan = bucketPlan(w.startMs, w.endMs, LOOKBACK_STEP_SECONDS);
    const sample = others.slice(0, 20);
    const by = `by (${labelRef(label)})`;
    const o = await instant(
      bucketQuery(by, `{${matcher(label, '=~', regexAlternationString(sample))}}`, plan),
      plan.at * 1000
    );
    if (o.ok && o.value.length > 0) {
      return true;
    }
  }
  const fresh = await instant('count({__name__=~".+"})', w.nowMs);
  if (fresh.ok && fresh.value.some((s) => s.value > 0)) {
    return true;
  }
  const old = await instant(`count(last_over_time({__name__=~".+"}[${subqueryRange(input)}]))`, w.endMs);
  if (!fresh.ok || !old.ok) {
    return facts.seen.length > 0;
  }
  return old.value.some((s) => s.value > 0);
}

async function findAlternatives(
  input: ProbeInput,
  facts: DatasourceFacts,
  known: Map<string, Set<string>>,
  range: Record<string, string>
) {
  const names = await requestJson(
    input.ctx,
    { datasource: input.datasource, path: 'api/v1/labels', params: range },
    narrowStringList
  );
  if (!names.ok) {
    return;
  }
  const present = new Set(names.value);
  const candidates = ALTERNATIVE_IDENTITY_LABELS.filter((l) => !known.has(l) && present.has(l));
  const fetched = await Promise.all(
    candidates.map((l) =>
      requestJson(
        input.ctx,
        {
          datasource: input.datasource,
          path: `api/v1/label/${encodeURIComponent(promLabelPathName(l))}/values`,
          params: range,
        },
        narrowStringList
      )
    )
  );
  const all = new Map(known);
  candidates.forEach((l, i) => {
    const o = fetched[i];
    if (o.ok) {
      all.set(l, new Set(o.value));
    }
  });
  markAlternatives(facts, all);
}
