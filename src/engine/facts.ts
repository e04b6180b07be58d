/**
 * What probes find out, before any judgement. Probes produce these; judge.ts turns them into verdicts.
 */
import { DatasourceRef, IdentitySpec, Signal } from './model';
import { Failure, RequestContext } from './http';

export interface ServiceFacts {
  /** Newest datum (ms since epoch) within the lookback; null when none was found. */
  newestMs: number | null;
  /** When > 0 the newest datum lies in (newestMs − resolutionMs, newestMs] (batched metric queries). */
  resolutionMs: number;
  /** Known to have data in the lookback but none within freshness, without an exact date. */
  staleUndated?: boolean;
  /**
   * The per-service query a person would run in Explore to see this service's data (see
   * `serviceQuery` in probes/common.ts), never a batched query naming other services.
   */
  query: string | null;
  /** A per-service query that failed. */
  failure?: Failure;
  /** When nothing was found: other identity labels whose values include the service's name. */
  alternatives: Array<{ label: string }>;
  /** When nothing was found: near matches, e.g. job="shop/checkout" (OTLP namespace/name) or another case. */
  similar?: Array<{ label: string; value: string }>;
  identity: IdentitySpec;
}

export interface DatasourceFacts {
  datasource: DatasourceRef;
  signal: Signal;
  /** The datasource could not answer the holdings question at all. */
  failure: Failure | null;
  version: string | null;
  latencyMs: number | null;
  counts: Record<string, number>;
  /** Identity values (under the global identity label) seen in the lookback. */
  seen: string[];
  /** Whether the datasource holds any data at all in the lookback. */
  holdsData: boolean;
  services: Map<string, ServiceFacts>;
  /** Batched and datasource-wide queries sent (each once, in order); per-service ones are on the services. */
  queries: string[];
}

export interface ServiceTarget {
  name: string;
  identity: IdentitySpec;
}

export interface ProbeWindow {
  nowMs: number;
  /** now − lookback */
  startMs: number;
  /** now + a small allowance so data stamped slightly in the future (clock skew) is still seen. */
  endMs: number;
  lookbackSeconds: number;
  freshnessSeconds: number;
}

export interface ProbeInput {
  ctx: RequestContext;
  datasource: DatasourceRef;
  /** Services to date. In discovery mode the probe dates what it sees under `globalIdentity`. */
  services: ServiceTarget[];
  discovery: boolean;
  globalIdentity: IdentitySpec;
  window: ProbeWindow;
}

export type Probe = (input: ProbeInput) => Promise<DatasourceFacts>;

/** Labels where a service name usually hides when the configured identity label is wrong. */
export const ALTERNATIVE_IDENTITY_LABELS = [
  'job',
  'service_name',
  'service',
  'app',
  'source',
  'container',
  'service.name',
] as const;

/** Allowance past `now` for data stamped in the future by a skewed clock. */
export const CLOCK_SKEW_ALLOWANCE_SECONDS = 300;

export function emptyFacts(datasource: DatasourceRef, signal: Signal): DatasourceFacts {
  return {
    datasource,
    signal,
    failure: null,
    version: null,
    latencyMs: null,
    counts: {},
    seen: [],
    holdsData: false,
    services: new Map(),
    queries: [],
  };
}

export function noData(identity: IdentitySpec, query: string | null = null): ServiceFacts {
  return { newestMs: null, resolutionMs: 0, query, alternatives: [], identity };
}
