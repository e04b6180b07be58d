/**
 * The shared vocabulary of Telemetry Truth. Every surface (page, panel, CLI, reports) speaks these
 * types; nothing here may import React, @grafana/*, or Node built-ins.
 */

export type Signal = 'metrics' | 'logs' | 'traces';
export const SIGNALS: readonly Signal[] = ['metrics', 'logs', 'traces'];

/** Datasource plugin types we probe. Mimir, Cortex and Thanos are all `prometheus`. */
export type BackendType = 'prometheus' | 'loki' | 'tempo';
export const BACKEND_TYPES: readonly BackendType[] = ['prometheus', 'loki', 'tempo'];
export const SIGNAL_OF_BACKEND: Record<BackendType, Signal> = { prometheus: 'metrics', loki: 'logs', tempo: 'traces' };

/**
 * The verdict words. Their meaning is fixed product-wide (see verdicts.ts for the taxonomy):
 * ok, stale, missing, empty, unreachable, denied, error, not_configured.
 */
export type Verdict = 'ok' | 'stale' | 'missing' | 'empty' | 'unreachable' | 'denied' | 'error' | 'not_configured';
export const VERDICTS: readonly Verdict[] = [
  'ok',
  'stale',
  'missing',
  'empty',
  'unreachable',
  'denied',
  'error',
  'not_configured',
];

/** A datasource as discovery sees it (from Grafana's boot data, /api/frontend/settings, or CLI flags). */
export interface DatasourceRef {
  uid: string;
  name: string;
  type: BackendType;
  /** Tenant sent as X-Scope-OrgID in direct mode; Grafana adds its own headers in proxy mode. */
  tenant?: string;
}

// ---------------------------------------------------------------------------------------------
// Transport: "GET this native API path of this datasource". Implementations live in
// src/engine/transport/ (direct, grafana-proxy over fetch) and src/grafana/ (getBackendSrv).
// ---------------------------------------------------------------------------------------------

export interface TransportRequest {
  datasource: DatasourceRef;
  /** Native API path without leading slash, e.g. `api/v1/query` or `loki/api/v1/labels`. */
  path: string;
  params?: Record<string, string | string[]>;
  method?: 'GET' | 'POST';
  /** Aborted on timeout or when the whole run is cancelled. Implementations must honour it. */
  signal: AbortSignal;
}

/** What came back over the wire, before any judgement. `body` is parsed JSON when it parsed, else the raw text. */
export interface TransportResponse {
  status: number;
  body: unknown;
  /** Lower-cased content type when known. */
  contentType?: string;
}

/**
 * Transports resolve with any HTTP status (classification is the engine's job) and reject only
 * with a TransportError for failures below HTTP (refused, DNS, reset, aborted).
 */
export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
}

export class TransportError extends Error {
  constructor(
    readonly kind: 'network' | 'timeout' | 'aborted',
    message: string
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

// ---------------------------------------------------------------------------------------------
// Configuration (one schema for the app's jsonData and the CLI's config file; see config.ts)
// ---------------------------------------------------------------------------------------------

/** How a service is recognised in one signal: by a label/attribute name, or by a full selector. */
export type IdentitySpec = { label: string } | { selector: string };

export interface ExpectedService {
  name: string;
  /** Per-signal identity overrides for this service only. */
  identity?: Partial<Record<Signal, IdentitySpec>>;
  /** Signals this service is expected to emit; default all three. */
  signals?: Signal[];
}

export interface CheckConfig {
  services: ExpectedService[];
  /** Global identity per signal. Defaults: metrics `job`, logs `service_name`, traces `service.name`. */
  identity: Record<Signal, IdentitySpec>;
  /** Max age of the newest datum for `ok`, in seconds. Defaults: metrics 300, logs 600, traces 900. */
  freshnessSeconds: Record<Signal, number>;
  /** How far back to look for any data at all (default 86400). */
  lookbackSeconds: number;
  datasources: { include: string[]; exclude: string[] };
  /** Per-request timeout (default 10000). */
  timeoutMs: number;
  /** Max requests in flight (default 8; the Grafana adapter caps at 5, Grafana's queue size). */
  concurrency: number;
  /** Runbook URL overrides keyed by verdict code (e.g. `TT-LOGS-MISSING`). */
  runbookUrls: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Report (rendered as JSON schemaVersion 1, Markdown, JUnit and terminal text)
// ---------------------------------------------------------------------------------------------

export interface TimeWindow {
  /** ISO-8601 */
  start: string;
  end: string;
}

export interface DatasourceResult {
  uid: string;
  name: string;
  type: BackendType;
  signal: Signal;
  /** ok | empty | unreachable | denied | error */
  status: Verdict;
  code: string;
  message: string;
  version: string | null;
  /** What the datasource holds in the lookback, e.g. { services: 3 } or { labels: 12, series: 40 }. */
  counts: Record<string, number>;
  /** Services (identity values) this datasource sees in the lookback, when known. */
  seenServices: string[];
  latencyMs: number | null;
  /**
   * The batched and datasource-wide queries the check sent to this datasource (each once, in order),
   * e.g. one query dating hundreds of services. Cells carry per-service queries instead.
   */
  queries?: string[];
}

export interface DatasourceCell {
  datasourceUid: string;
  datasourceName: string;
  status: Verdict;
  code: string;
  message: string;
  newestAt: string | null;
  ageSeconds: number | null;
  /** This service's query in this datasource (see CellResult.query). */
  query: string | null;
}

export interface CellResult {
  status: Verdict;
  code: string;
  /** One sentence a person can act on. */
  message: string;
  newestAt: string | null;
  /** Negative when the newest datum is in the future (clock skew); still counts as fresh. */
  ageSeconds: number | null;
  clockSkew: boolean;
  window: TimeWindow;
  /**
   * The per-service query to paste into Explore to see THIS service's data in the winning datasource,
   * in the backend's language (e.g. `count by (job) ({job="api"})`, `{service_name="api"}`,
   * `{ resource.service.name = "api" }`). Never a batched query naming other services: those are in
   * `DatasourceResult.queries`. null only when no datasource is configured.
   */
  query: string | null;
  datasourceUid: string | null;
  /** Runbook link: the configured override, else the built-in runbook route. */
  runbook: string | null;
  /** When `missing` but the name was found under another identity label: which one would match. */
  alternativeIdentity: { label: string; datasourceUid: string } | null;
  perDatasource: DatasourceCell[];
}

export interface ServiceResult {
  name: string;
  /** false for services found by discovery but not in the expected list. */
  expected: boolean;
  signals: Partial<Record<Signal, CellResult>>;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'telemetry-truth'; version: string };
  generatedAt: string;
  /** pass when every expected service × signal is ok (discovery mode: no datasource failing). */
  verdict: 'pass' | 'fail';
  mode: 'expectations' | 'discovery';
  lookbackSeconds: number;
  freshnessSeconds: Record<Signal, number>;
  datasources: DatasourceResult[];
  services: ServiceResult[];
  summary: { services: number; cells: number; byStatus: Record<Verdict, number> };
}

/** Emitted while a run is in progress so surfaces can render results as they arrive. */
export type ProgressEvent =
  | { type: 'datasource'; result: DatasourceResult }
  | { type: 'cell'; service: string; signal: Signal; cell: CellResult };
