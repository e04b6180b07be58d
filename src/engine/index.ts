/**
 * Public surface of the engine. Adapters (src/grafana, cli/) import from here only.
 */
export * from './model';
export * from './verdicts';
export { parseConfig, toUserConfig, DEFAULT_CONFIG, DEFAULT_IDENTITY } from './config';
export type { UserConfig, ConfigError, ParseConfigResult, ParseConfigOptions } from './config';
export { createGrafanaProxyTransport, grafanaProxyUrl } from './transport/grafana-proxy';
export type { GrafanaProxyTransportOptions } from './transport/grafana-proxy';
export { createDirectTransport } from './transport/direct';
export type { DirectTransportOptions } from './transport/direct';
export { classifyResponse, redact } from './http';
export type { Failure } from './http';
export { createLimiter } from './limiter';
export { parseDurationSeconds, formatDuration, humanAge } from './duration';

import { CheckConfig, DatasourceRef, ProgressEvent, Report, Transport } from './model';
import { runCheckWithStats } from './run';

export { runCheckWithStats } from './run';
export type { RunStats } from './run';
export { selectDatasources } from './discovery';
export { DEFAULT_RUNBOOK_BASE, runbookFor } from './judge';
export { serviceQuery } from './probes/common';

export interface RunCheckOptions {
  config: CheckConfig;
  transport: Transport;
  /** Every datasource visible to the caller; the engine filters by type and include/exclude. */
  datasources: DatasourceRef[];
  /** Milliseconds since epoch; injectable for tests. */
  now?: () => number;
  /** Cancels every in-flight request; the promise then rejects with an AbortError. */
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** Base for built-in runbook links, e.g. `/a/scanium-telemetrytruth-app/runbooks` or an absolute Grafana URL. */
  runbookBaseUrl?: string;
  toolVersion?: string;
}

/** Run one check. Always resolves with a report unless `signal` is aborted (then rejects with an AbortError). */
export async function runCheck(options: RunCheckOptions): Promise<Report> {
  return (await runCheckWithStats(options)).report;
}
