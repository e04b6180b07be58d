/** Helpers shared by the backend probes. */
import { BackendType, IdentitySpec } from '../model';
import { Outcome } from '../http';
import {
  escapeQuotedBody,
  isPlainLabelName,
  logqlString,
  promqlString,
  regexEscape,
  traceqlString,
} from '../query/escape';
import { DatasourceFacts, ServiceFacts, ServiceTarget, noData } from '../facts';

/**
 * Max characters of escaped names per batched query. The query travels in a GET URL (the Grafana
 * proxy allows only GET for Prometheus); URL-encoding grows it by roughly a third, which keeps the
 * request line well under the 8 KiB many reverse proxies accept.
 */
export const BATCH_MAX_CHARS = 4000;

/** Split names into batches small enough for a URL and for backend series limits. */
export function chunkNames(names: readonly string[], maxCount: number, maxChars = BATCH_MAX_CHARS): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const n of names) {
    const cost = escapeQuotedBody(regexEscape(n)).length + 1;
    if (current.length > 0 && (current.length >= maxCount || chars + cost > maxChars)) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(n);
    chars += cost;
  }
  if (current.length > 0) {
    out.push(current);
  }
  return out;
}

/**
 * Expand a selector identity for one service: `${service}` is replaced by the service name escaped
 * for a double-quoted string (write it inside quotes: `{app="${service}"}`).
 */
export function expandSelector(selector: string, service: string): string {
  return selector.split('${service}').join(escapeQuotedBody(service));
}

/** Keep a batched or datasource-wide query that was sent, once, for `DatasourceResult.queries`. */
export function ranQuery(facts: DatasourceFacts, query: string) {
  if (!facts.queries.includes(query)) {
    facts.queries.push(query);
  }
}

/** Group label-identified targets by label; selector targets are returned separately. */
export function groupTargets(targets: readonly ServiceTarget[]): {
  byLabel: Map<string, ServiceTarget[]>;
  selectors: Array<ServiceTarget & { identity: { selector: string } }>;
} {
  const byLabel = new Map<string, ServiceTarget[]>();
  const selectors: Array<ServiceTarget & { identity: { selector: string } }> = [];
  for (const t of targets) {
    if ('selector' in t.identity) {
      selectors.push({ name: t.name, identity: t.identity });
    } else {
      const list = byLabel.get(t.identity.label) ?? [];
      list.push(t);
      byLabel.set(t.identity.label, list);
    }
  }
  return { byLabel, selectors };
}

export function labelOf(identity: IdentitySpec): string | null {
  return 'label' in identity ? identity.label : null;
}

/** Record a dated service, keeping the newest if it was already dated. */
export function recordNewest(
  facts: DatasourceFacts,
  target: ServiceTarget,
  newestMs: number,
  query: string,
  resolutionMs = 0
) {
  const prev = facts.services.get(target.name);
  if (prev && prev.newestMs !== null && prev.newestMs >= newestMs) {
    return;
  }
  const next: ServiceFacts = { ...noData(target.identity, query), newestMs, resolutionMs };
  facts.services.set(target.name, next);
}

/**
 * Record a bucketed date: the newest datum lies in (t − step, t]. A bucket that straddles `now` is not
 * clock skew (backends may align buckets to step multiples), so it is recorded as `now`.
 */
export function recordBucket(
  facts: DatasourceFacts,
  target: ServiceTarget,
  tSeconds: number,
  stepSeconds: number,
  query: string,
  nowMs: number
) {
  const endMs = tSeconds * 1000;
  const startMs = endMs - stepSeconds * 1000;
  const newestMs = endMs > nowMs && startMs < nowMs ? nowMs : endMs;
  recordNewest(facts, target, newestMs, query, stepSeconds * 1000);
}

/** Fill in `alternatives` for services without data, from label values of other identity labels. */
export function markAlternatives(facts: DatasourceFacts, valuesByLabel: Map<string, Set<string>>) {
  for (const [name, sf] of facts.services) {
    if (sf.newestMs !== null || sf.staleUndated || sf.failure) {
      continue;
    }
    const own = labelOf(sf.identity);
    sf.alternatives = [...valuesByLabel]
      .filter(([label, values]) => label !== own && values.has(name))
      .map(([label]) => ({ label }));
    const similar: Array<{ label: string; value: string }> = [];
    const lower = name.toLowerCase();
    for (const [label, values] of valuesByLabel) {
      for (const value of values) {
        if (value !== name && (value.endsWith(`/${name}`) || value.toLowerCase() === lower)) {
          similar.push({ label, value });
        }
        if (similar.length >= 3) {
          break;
        }
      }
    }
    if (similar.length > 0) {
      sf.similar = similar;
    }
  }
}

export function msToNsString(ms: number): string {
  return (BigInt(Math.floor(ms)) * BigInt(1000000)).toString();
}

export function nsToMs(ns: bigint): number {
  return Number(ns / BigInt(1000000));
}

export function seconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}

/** A label name in a PromQL/LogQL matcher or `by` clause; non-identifier names use the quoted (UTF-8) form. */
export function labelRef(label: string): string {
  return isPlainLabelName(label) ? label : promqlString(label);
}

/** A whole matcher: `job=~"a|b"`. */
export function matcher(label: string, op: '=' | '=~', literal: string): string {
  return `${labelRef(label)}${op}${literal}`;
}

/** TraceQL identifier of an attribute: unscoped names are resource attributes (`resource.service.name`). */
export function traceqlAttribute(label: string): string {
  return /^(resource|span|event|link|instrumentation)\./.test(label) || label.startsWith('.')
    ? label
    : `resource.${label}`;
}

/**
 * The query a person pastes into Explore to see ONE service's data in a backend, honouring its
 * identity (a label, or a selector with `${service}`). Cells carry this, never the batched query
 * that dated many services at once (those are kept once per datasource in `DatasourceFacts.queries`).
 * - Prometheus/Mimir: `count by (job) ({job="api"})`: the series count over time; where the graph
 *   ends is the newest sample (give or take the 5 m lookback delta). Selectors: `count(<selector>)`.
 * - Loki: the stream selector `{service_name="api"}` (also exactly what dates a non-fresh service).
 * - Tempo: TraceQL `{ resource.service.name = "api" }`, also for Tempo 1.x, which has no TraceQL
 *   (the engine searches it with `tags=`; the TraceQL form is what works once Tempo is upgraded).
 */
export function serviceQuery(type: BackendType, identity: IdentitySpec, name: string): string {
  if ('selector' in identity) {
    const selector = expandSelector(identity.selector, name);
    return type === 'prometheus' ? `count(${selector})` : selector;
  }
  const { label } = identity;
  switch (type) {
    case 'prometheus':
      return `count by (${labelRef(label)}) ({${matcher(label, '=', promqlString(name))}})`;
    case 'loki':
      return `{${matcher(label, '=', logqlString(name))}}`;
    case 'tempo':
      return `{ ${traceqlAttribute(label)} = ${traceqlString(name)} }`;
  }
}

/** Label name as a path segment of Prometheus' label-values API (`U__` escaping for non-identifiers). */
export function promLabelPathName(label: string): string {
  if (isPlainLabelName(label)) {
    return label;
  }
  let out = 'U__';
  for (const ch of label) {
    if (/[A-Za-z0-9]/.test(ch)) {
      out += ch;
    } else if (ch === '_') {
      out += '__';
    } else {
      out += `_${(ch.codePointAt(0) ?? 0).toString(16)}_`;
    }
  }
  return out;
}

/** Expected services to date per identity label, after listing each label's values. */
export interface DatingPlan {
  groups: Array<{ label: string; targets: ServiceTarget[] }>;
  /** Services whose label does not list them: no series at all (Tempo: maybe only outside its recent listing). */
  unlisted: ServiceTarget[];
  /** The values each identity label listed (labels whose listing failed are absent). */
  values: Map<string, Set<string>>;
}

/**
 * Read the label-value listings every probe starts with: fill `facts.seen` and the service count,
 * record a failed listing on each service it concerns, and decide what to date. Discovery mode
 * dates every value seen under the global identity label.
 */
export function planDating(
  type: BackendType,
  input: { discovery: boolean; globalIdentity: IdentitySpec },
  facts: DatasourceFacts,
  byLabel: ReadonlyMap<string, ServiceTarget[]>,
  listings: ReadonlyMap<string, Outcome<readonly string[]>>,
  globalLabel: string | null
): DatingPlan {
  const values = new Map<string, Set<string>>();
  for (const [label, o] of listings) {
    if (o.ok) {
      values.set(label, new Set(o.value));
    }
  }
  if (globalLabel) {
    facts.seen = [...(values.get(globalLabel) ?? [])].filter((v) => v !== '').sort();
  }
  facts.counts = { services: facts.seen.length };

  if (input.discovery && globalLabel) {
    const targets = facts.seen.map((name) => ({ name, identity: input.globalIdentity }));
    return { groups: [{ label: globalLabel, targets }], unlisted: [], values };
  }
  const plan: DatingPlan = { groups: [], unlisted: [], values };
  for (const [label, targets] of byLabel) {
    const listing = listings.get(label);
    const known = values.get(label);
    const dated: ServiceTarget[] = [];
    for (const t of targets) {
      if (listing && !listing.ok) {
        facts.services.set(t.name, {
          ...noData(t.identity, serviceQuery(type, t.identity, t.name)),
          failure: listing.failure,
        });
      } else if (known?.has(t.name)) {
        dated.push(t);
      } else {
        plan.unlisted.push(t);
      }
    }
    plan.groups.push({ label, targets: dated });
  }
  return plan;
}
