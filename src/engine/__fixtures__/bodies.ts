/**
 * Response bodies recorded from the backends' documented shapes. Source for every shape:
 * /work/shared/docs/backend-apis.md (sections named per constant), which cites the upstream docs/source.
 * Kept as .ts, not .json: every src/**\/*.json is copied into the plugin bundle.
 */

/** §3.4 Prometheus buildinfo (enveloped). */
export const promBuildinfo = {
  status: 'success',
  data: {
    version: '2.42.0',
    revision: 'abc',
    branch: 'HEAD',
    buildUser: 'root@x',
    buildDate: '20230131',
    goVersion: 'go1.19.5',
  },
};

/** §3.5 Mimir buildinfo (enveloped, no buildUser/buildDate). */
export const mimirBuildinfo = {
  status: 'success',
  data: {
    application: 'Grafana Mimir',
    version: '2.14.0',
    revision: 'r',
    branch: 'b',
    goVersion: 'go1.22',
    features: { query_sharding: 'true' },
  },
};

/** §3.2 label values. */
export const promLabelValues = (values: string[]) => ({ status: 'success', data: values });

/** §3.3 instant vector result. */
export const promVector = (rows: Array<{ metric: Record<string, string>; value: [number, string] }>) => ({
  status: 'success',
  data: { resultType: 'vector', result: rows },
});

/** §3.1 Prometheus error envelope. */
export const promError = {
  status: 'error',
  errorType: 'bad_data',
  error: 'invalid parameter "query": 1:7: parse error: unexpected "}"',
};

/** §3.1 / trap 18: Prometheus during WAL replay. */
export const promNotReady = 'Service Unavailable';

/** §1.8 Loki buildinfo (bare). */
export const lokiBuildinfo = {
  version: '3.5.1',
  revision: 'r',
  branch: 'b',
  buildUser: 'u',
  buildDate: 'd',
  goVersion: 'go1.24',
};

/** §1.2 labels: with data, and the empty answer WITHOUT a data key (grafana/loki#4927). */
export const lokiLabels = (labels: string[]) => ({ status: 'success', data: labels });
export const lokiLabelsEmpty = { status: 'success' };

/** §1.4 log query answer (streams, ns timestamps as strings). */
export const lokiStreams = (streams: Array<{ stream: Record<string, string>; values: Array<[string, string]> }>) => ({
  status: 'success',
  data: { resultType: 'streams', result: streams, stats: { summary: { bytesProcessedPerSecond: 0 } } },
});

/** §1.4 metric range answer (matrix, seconds as numbers, values as strings). */
export const lokiMatrix = (series: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>) => ({
  status: 'success',
  data: { resultType: 'matrix', result: series, stats: {} },
});

/** §1.0 Loki errors are plain text. */
export const lokiParseError = 'parse error at line 1, col 2: syntax error: unexpected IDENTIFIER';

/** §2.2 Tempo buildinfo (bare, since 2.3). */
export const tempoBuildinfo = (version: string) => ({
  version,
  revision: 'r',
  branch: 'b',
  buildUser: 'u',
  buildDate: 'd',
  goVersion: 'go1.22',
});

/** §2.5 tag values: v1 plain strings, v2 `{type, value}` objects (a value may lack `value`), `{}` when none. */
export const tempoTagValuesV1 = (values: string[]) => ({ tagValues: values, metrics: { inspectedBytes: '1024' } });
export const tempoTagValuesV2 = (values: string[]) => ({
  tagValues: values.map((value) => (value === '' ? { type: 'string' } : { type: 'string', value })),
  metrics: { inspectedBytes: '1024' },
});
export const tempoEmpty = {};

/** §2.3 search answer; `traces` absent when none, startTimeUnixNano a string of ns. */
export const tempoSearch = (traces: Array<{ service: string; startNs: string; spanServices?: string[] }>) => ({
  traces: traces.map((t, i) => ({
    traceID: `2f3e0cee77ae5dc9c17ade3689eb2e${String(i).padStart(2, '0')}`,
    rootServiceName: t.service,
    rootTraceName: 'GET /cart',
    startTimeUnixNano: t.startNs,
    durationMs: 57,
    spanSets: [
      {
        spans: (t.spanServices ?? [t.service]).map((s, j) => ({
          spanID: `00000000000000${String(j).padStart(2, '0')}`,
          startTimeUnixNano: t.startNs,
          durationNanos: '1000',
          attributes: [{ key: 'service.name', value: { stringValue: s } }],
        })),
        matched: 1,
      },
    ],
  })),
  metrics: { inspectedBytes: '630188', totalBlocks: 13 },
});
export const tempoSearchNone = { metrics: { inspectedBytes: '0' } };

/** §4.4 Grafana proxy: upstream 401 rewritten to 400 with this plain text; 502/504 with an empty body. */
export const grafanaAuthFailed = 'Authentication to data source failed';
export const grafanaAccessDenied = { message: 'Access denied to datasource' };

/** Trap 6: what a reverse proxy's login page looks like through getBackendSrv (a 200 string). */
export const htmlLoginPage =
  '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form action="/oauth2/start">Sign in with SSO</form></body></html>';

/** Trap 6: a JSON body cut off mid-way. */
export const truncatedJson = '{"status":"success","data":["app","job","serv';
