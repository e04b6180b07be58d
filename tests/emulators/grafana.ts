/**
 * EMULATOR — not the real server. The small part of Grafana's HTTP API that Telemetry Truth touches.
 *
 * Behaviour follows /work/shared/docs/backend-apis.md §4 and §6 (grafana pkg/api/api.go,
 * pkg/api/datasources.go, pkg/services/datasourceproxy/datasourceproxy.go, pkg/api/pluginproxy/ds_proxy.go,
 * pkg/util/proxyutil/reverse_proxy.go) and grafana-conventions.md; mimics Grafana 10.3–11.x:
 *  - `/api/health` (no auth), `/api/frontend/settings` (`datasources` map name → {uid,type,name,url,jsonData}),
 *    `/api/datasources` and `/api/datasources/uid/:uid` (Admin only → 403 JSON), `/api/datasources/uid/:uid/health`,
 *    `/api/user`, `/api/plugins/:id/settings` GET/POST (jsonData kept in memory);
 *  - the data source PROXY `/api/datasources/proxy/uid/:uid/*`: upstream refused → 502 with an EMPTY body;
 *    upstream silent past the data source timeout → 504 EMPTY; upstream 401 → 400 text/plain
 *    `Authentication to data source failed`; every other status/body passed through; unknown uid → 404
 *    `{"message":"Unable to find datasource"}`; Prometheus POST to a non-allow-listed path → 403;
 *  - auth: `Authorization: Bearer <token>` against configured tokens (wrong/unknown → 401
 *    `{"message":"Unauthorized"}` even when anonymous access is on — Grafana rejects a bad token
 *    before falling back to anonymous); anonymous access allowed unless `requireAuth`.
 * Records every request (method, path, query, status) in `requests`; optional injected latency on
 * proxy requests (`latencyMs`) for the bench.
 */
import * as http from 'node:http';
import { listen, readBody, recording, sendJson, sendText, sleep, type LoggedRequest, type RunningServer } from './http';

export type Role = 'Admin' | 'Editor' | 'Viewer';

export interface GrafanaDatasource {
  uid: string;
  name: string;
  type: 'prometheus' | 'loki' | 'tempo' | string;
  /** Upstream base URL, e.g. http://127.0.0.1:3100 or http://127.0.0.1:9009/prometheus */
  url: string;
  jsonData?: Record<string, unknown>;
  /** Headers Grafana adds upstream (e.g. X-Scope-OrgID from httpHeaderName1). */
  headers?: Record<string, string>;
  /** Grafana's data proxy timeout for this data source (jsonData.timeout / [dataproxy] timeout). Default 30 s. */
  proxyTimeoutMs?: number;
  isDefault?: boolean;
}

export interface GrafanaEmulatorOptions {
  version?: string;
  datasources: GrafanaDatasource[];
  /** token → role. */
  tokens?: Record<string, Role>;
  /** When true, requests without a valid token get 401 (anonymous access off). */
  requireAuth?: boolean;
  /** Role of anonymous users (the seed stack: Admin). */
  anonymousRole?: Role;
  /** Injected delay before each proxied request is forwarded. */
  latencyMs?: number;
  /** Plugin settings store seed, keyed by plugin id. */
  pluginSettings?: Record<string, { enabled?: boolean; jsonData?: Record<string, unknown> }>;
  appSubUrl?: string;
}

export interface ProxyLogEntry extends LoggedRequest {
  /** Set for data source proxy requests. */
  datasourceUid?: string;
}

export interface GrafanaEmulator extends RunningServer {
  version: string;
  requests: ProxyLogEntry[];
  /** Proxy requests (optionally for one data source uid). */
  proxyRequests(uid?: string): ProxyLogEntry[];
  resetRequests(): void;
  datasources: GrafanaDatasource[];
  setLatency(ms: number): void;
  pluginSettings: Record<string, { enabled: boolean; jsonData: Record<string, unknown> }>;
}

const PROM_POST_ALLOWED = ['api/v1/query', 'api/v1/query_range', 'api/v1/series', 'api/v1/labels', 'api/v1/query_exemplars'];

export async function startGrafanaEmulator(opts: GrafanaEmulatorOptions): Promise<GrafanaEmulator> {
  const version = opts.version ?? '10.3.3';
  const requests: ProxyLogEntry[] = [];
  let latency = opts.latencyMs ?? 0;
  const pluginSettings: Record<string, { enabled: boolean; jsonData: Record<string, unknown> }> = {};
  for (const [id, s] of Object.entries(opts.pluginSettings ?? {})) {
    pluginSettings[id] = { enabled: s.enabled ?? true, jsonData: s.jsonData ?? {} };
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  function auth(req: http.IncomingMessage): { ok: true; role: Role; login: string } | { ok: false } {
    const h = req.headers.authorization;
    if (h) {
      const m = /^Bearer\s+(.+)$/i.exec(h);
      const role = m ? opts.tokens?.[m[1].trim()] : undefined;
      if (!role) {
        return { ok: false };
      }
      return { ok: true, role, login: 'sa-telemetry-truth' };
    }
    if (opts.requireAuth) {
      return { ok: false };
    }
    return { ok: true, role: opts.anonymousRole ?? 'Admin', login: 'anonymous' };
  }

  function dsJson(d: GrafanaDatasource, id: number) {
    return {
      id,
      uid: d.uid,
      orgId: 1,
      name: d.name,
      type: d.type,
      typeLogoUrl: `public/app/plugins/datasource/${d.type}/img/logo.svg`,
      access: 'proxy',
      url: d.url,
      user: '',
      database: '',
      basicAuth: false,
      isDefault: d.isDefault ?? false,
      jsonData: d.jsonData ?? {},
      readOnly: true,
    };
  }

  async function proxy(req: http.IncomingMessage, res: http.ServerResponse, url: URL, uid: string, rest: string, entry: ProxyLogEntry): Promise<void> {
    entry.datasourceUid = uid;
    const ds = opts.datasources.find((d) => d.uid === uid);
    if (!ds) {
      return sendJson(res, 404, { message: 'Unable to find datasource' });
    }
    const method = req.method ?? 'GET';
    if (ds.type === 'prometheus' && method !== 'GET' && !(method === 'POST' && PROM_POST_ALLOWED.includes(rest.replace(/\/$/, '')))) {
      return sendJson(res, 403, { message: 'non allow-listed POSTs not allowed on proxied Prometheus datasource' });
    }
    if (latency > 0) {
      await sleep(latency);
    }
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
    const target = new URL(ds.url.replace(/\/$/, '') + '/' + rest + url.search);
    const headers: http.OutgoingHttpHeaders = { ...(ds.headers ?? {}) };
    for (const h of ['content-type', 'accept', 'x-loki-response-encoding-flags']) {
      if (req.headers[h]) {
        headers[h] = req.headers[h];
      }
    }
    if (body) {
      headers['content-length'] = body.length;
    }
    const timeoutMs = ds.proxyTimeoutMs ?? 30_000;
    await new Promise<void>((resolve) => {
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          resolve();
        }
      };
      const up = http.request(target, { method, headers, agent }, (upRes) => {
        clearTimeout(timer);
        const status = upRes.statusCode ?? 502;
        if (status === 401) {
          upRes.resume();
          sendText(res, 400, 'Authentication to data source failed');
          return finish();
        }
        const outHeaders: http.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(upRes.headers)) {
          if (v !== undefined && !['connection', 'keep-alive', 'transfer-encoding', 'set-cookie'].includes(k)) {
            outHeaders[k] = v;
          }
        }
        res.writeHead(status, outHeaders);
        // Go's ReverseProxy flushes headers even when body writes are delayed (copyResponse's initial timer).
        res.flushHeaders();
        upRes.pipe(res);
        upRes.on('end', finish);
        upRes.on('error', () => {
          res.destroy();
          finish();
        });
        res.on('close', () => {
          upRes.destroy();
          finish();
        });
      });
      const timer = setTimeout(() => {
        up.destroy(new Error('timeout'));
        if (!res.headersSent) {
          res.writeHead(504, { 'Content-Length': 0 });
          res.end();
        }
        finish();
      }, timeoutMs);
      up.on('error', () => {
        clearTimeout(timer);
        if (!res.headersSent) {
          // proxyutil errorHandler: 502 Bad Gateway with an empty body.
          res.writeHead(502, { 'Content-Length': 0 });
          res.end();
        } else {
          res.destroy();
        }
        finish();
      });
      // The client went away before an answer: stop the upstream request (Grafana answers 499 internally).
      // (res 'close', not req 'close': the latter fires as soon as the request body has been read.)
      res.on('close', () => {
        if (!res.writableFinished) {
          clearTimeout(timer);
          up.destroy();
          finish();
        }
      });
      if (body) {
        up.end(body);
      } else {
        up.end();
      }
    });
  }

  async function healthCheck(ds: GrafanaDatasource): Promise<{ status: number; body: unknown }> {
    const base = ds.url.replace(/\/$/, '');
    const probe =
      ds.type === 'prometheus'
        ? `${base}/api/v1/query?query=1%2B1&time=4`
        : ds.type === 'loki'
          ? `${base}/loki/api/v1/query?query=${encodeURIComponent('vector(1)+vector(1)')}`
          : `${base}/api/echo`;
    try {
      const r = await fetch(probe, { headers: ds.headers, signal: AbortSignal.timeout(ds.proxyTimeoutMs ?? 30_000) });
      const text = await r.text();
      if (r.status === 200 && (ds.type === 'tempo' ? text.trim() === 'echo' : text.includes('"success"'))) {
        const message =
          ds.type === 'prometheus' ? 'Successfully queried the Prometheus API.' : ds.type === 'loki' ? 'Data source successfully connected.' : 'Data source is working';
        return { status: 200, body: { status: 'OK', message } };
      }
      return { status: 400, body: { status: 'ERROR', message: `${ds.type} health check failed: HTTP ${r.status}: ${text.slice(0, 200)}` } };
    } catch (e) {
      return { status: 400, body: { status: 'ERROR', message: `${ds.type} health check failed: ${e instanceof Error ? e.message : String(e)}` } };
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const entry = requests[requests.length - 1];
    if (path === '/api/health') {
      return sendJson(res, 200, { commit: 'emulator', database: 'ok', version });
    }
    const who = auth(req);
    if (!who.ok) {
      return sendJson(res, 401, { message: 'Unauthorized' });
    }
    const px = /^\/api\/datasources\/proxy\/uid\/([^/]+)\/?(.*)$/.exec(path);
    if (px) {
      return proxy(req, res, url, decodeURIComponent(px[1]), px[2], entry);
    }
    if (path === '/api/frontend/settings') {
      const datasources: Record<string, unknown> = {};
      opts.datasources.forEach((d, i) => {
        datasources[d.name] = {
          id: i + 1,
          uid: d.uid,
          type: d.type,
          name: d.name,
          url: `/api/datasources/proxy/uid/${d.uid}`,
          access: 'proxy',
          isDefault: d.isDefault ?? false,
          jsonData: d.jsonData ?? {},
          meta: { id: d.type, type: 'datasource', name: d.type },
          readOnly: true,
        };
      });
      return sendJson(res, 200, {
        appSubUrl: opts.appSubUrl ?? '',
        datasources,
        defaultDatasource: opts.datasources.find((d) => d.isDefault)?.name ?? opts.datasources[0]?.name ?? '',
        buildInfo: { version, commit: 'emulator', edition: 'Open Source', env: 'production' },
        anonymousEnabled: !opts.requireAuth,
      });
    }
    if (path === '/api/user') {
      return sendJson(res, 200, { id: 1, login: who.login, name: who.login, email: '', orgId: 1, isGrafanaAdmin: who.role === 'Admin', orgRole: who.role });
    }
    if (path === '/api/datasources' || path.startsWith('/api/datasources/uid/')) {
      const health = /^\/api\/datasources\/uid\/([^/]+)\/health$/.exec(path);
      if (health) {
        const ds = opts.datasources.find((d) => d.uid === decodeURIComponent(health[1]));
        if (!ds) {
          return sendJson(res, 404, { message: 'Data source not found' });
        }
        const r = await healthCheck(ds);
        return sendJson(res, r.status, r.body);
      }
      if (who.role !== 'Admin') {
        return sendJson(res, 403, { message: 'You do not have permission to perform the requested action.', accessErrorId: 'ACE0000000001', title: 'Access denied' });
      }
      if (path === '/api/datasources') {
        return sendJson(res, 200, opts.datasources.map((d, i) => dsJson(d, i + 1)));
      }
      const one = /^\/api\/datasources\/uid\/([^/]+)$/.exec(path);
      const idx = one ? opts.datasources.findIndex((d) => d.uid === decodeURIComponent(one[1])) : -1;
      if (idx < 0) {
        return sendJson(res, 404, { message: 'Data source not found' });
      }
      return sendJson(res, 200, { ...dsJson(opts.datasources[idx], idx + 1), basicAuthUser: '', withCredentials: false, secureJsonFields: {}, version: 1 });
    }
    const ps = /^\/api\/plugins\/([^/]+)\/settings$/.exec(path);
    if (ps) {
      const id = decodeURIComponent(ps[1]);
      if (req.method === 'POST') {
        if (who.role !== 'Admin') {
          return sendJson(res, 403, { message: 'Permission denied' });
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse((await readBody(req)).toString('utf8') || '{}');
        } catch {
          return sendJson(res, 400, { message: 'bad request data' });
        }
        const cur = pluginSettings[id] ?? { enabled: false, jsonData: {} };
        if (parsed && typeof parsed === 'object') {
          const o = parsed as { enabled?: unknown; jsonData?: unknown };
          if (typeof o.enabled === 'boolean') {
            cur.enabled = o.enabled;
          }
          if (o.jsonData && typeof o.jsonData === 'object') {
            cur.jsonData = o.jsonData as Record<string, unknown>;
          }
        }
        pluginSettings[id] = cur;
        return sendJson(res, 200, { message: 'Plugin settings updated' });
      }
      const cur = pluginSettings[id] ?? { enabled: true, jsonData: {} };
      return sendJson(res, 200, { id, type: 'app', name: id, enabled: cur.enabled, pinned: cur.enabled, jsonData: cur.jsonData, secureJsonFields: {}, info: { version: '1.0.0' } });
    }
    return sendJson(res, 404, { message: 'Not found' });
  }

  const server = await listen(recording(requests, handle));
  return {
    ...server,
    close: async () => {
      agent.destroy();
      await server.close();
    },
    version,
    requests,
    proxyRequests: (uid?: string) => requests.filter((r) => r.datasourceUid !== undefined && (uid === undefined || r.datasourceUid === uid)),
    resetRequests: () => {
      requests.length = 0;
    },
    datasources: opts.datasources,
    setLatency: (ms: number) => {
      latency = ms;
    },
    pluginSettings,
  };
}
