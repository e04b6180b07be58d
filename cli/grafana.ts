/**
 * What the CLI asks Grafana itself before any check: is it up (`/api/health`, no auth), and which
 * datasources can this caller see (`/api/frontend/settings`, which works for Viewers, falling back
 * to `/api/datasources`, which needs more). Untrusted JSON is narrowed here.
 */
import { BACKEND_TYPES, BackendType, DatasourceRef } from '../src/engine/model';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type GrafanaProblem =
  { kind: 'unreachable'; message: string } | { kind: 'auth'; message: string } | { kind: 'api'; message: string };

export interface GrafanaInfo {
  version: string | null;
  datasources: DatasourceRef[];
  /** Which endpoint listed the datasources. */
  source: 'frontend-settings' | 'datasources';
}

interface Options {
  grafanaUrl: string;
  token: string | null;
  timeoutMs: number;
  fetchImpl: FetchLike;
  signal?: AbortSignal;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isBackendType(t: unknown): t is BackendType {
  return typeof t === 'string' && (BACKEND_TYPES as readonly string[]).includes(t);
}

/** Datasource refs from one entry of either listing; anything that is not Prometheus/Loki/Tempo is skipped. */
function toRef(v: unknown): DatasourceRef | null {
  if (!isRecord(v) || typeof v.uid !== 'string' || !v.uid || !isBackendType(v.type)) {
    return null;
  }
  return { uid: v.uid, name: typeof v.name === 'string' && v.name ? v.name : v.uid, type: v.type };
}

async function get(
  opts: Options,
  path: string,
  withToken: boolean
): Promise<{ status: number; body: unknown } | { failure: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs);
  const onAbort = () => controller.abort();
  opts.signal?.addEventListener('abort', onAbort);
  try {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (withToken && opts.token) {
      headers.Authorization = `Bearer ${opts.token}`;
    }
    const res = await opts.fetchImpl(`${opts.grafanaUrl}${path}`, {
      headers,
      signal: controller.signal,
      redirect: 'manual',
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text: an HTML page or an empty body is evidence too
    }
    return { status: res.status, body };
  } catch (e) {
    if (controller.signal.aborted) {
      return { failure: `no answer within ${opts.timeoutMs} ms` };
    }
    const cause =
      e instanceof Error && isRecord(e.cause) && typeof e.cause.code === 'string'
        ? e.cause.code
        : e instanceof Error
          ? e.message
          : 'request failed';
    return { failure: cause };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

function authProblem(status: number, hasToken: boolean, path: string): GrafanaProblem {
  return {
    kind: 'auth',
    message: hasToken
      ? `Grafana rejected the token (HTTP ${status} from ${path}); check that it is valid and not expired`
      : `Grafana requires authentication (HTTP ${status} from ${path}); set GRAFANA_TOKEN or pass --token-file`,
  };
}

/** Health, then the datasource list; a problem means exit code 3. */
export async function discoverGrafana(opts: Options): Promise<GrafanaInfo | GrafanaProblem> {
  const health = await get(opts, '/api/health', false);
  if ('failure' in health) {
    return { kind: 'unreachable', message: `cannot reach Grafana at ${opts.grafanaUrl}: ${health.failure}` };
  }
  if (health.status >= 500 || (health.status >= 300 && health.status < 400)) {
    return {
      kind: 'unreachable',
      message: `Grafana at ${opts.grafanaUrl} is not healthy: /api/health answered HTTP ${health.status}`,
    };
  }
  const version = isRecord(health.body) && typeof health.body.version === 'string' ? health.body.version : null;

  const settings = await get(opts, '/api/frontend/settings', true);
  if ('failure' in settings) {
    return { kind: 'unreachable', message: `cannot reach Grafana at ${opts.grafanaUrl}: ${settings.failure}` };
  }
  if (settings.status === 401 || settings.status === 403) {
    return authProblem(settings.status, Boolean(opts.token), '/api/frontend/settings');
  }
  if (settings.status === 200 && isRecord(settings.body) && isRecord(settings.body.datasources)) {
    const refs = Object.values(settings.body.datasources)
      .map(toRef)
      .filter((r): r is DatasourceRef => r !== null);
    return { version, datasources: refs, source: 'frontend-settings' };
  }

  const list = await get(opts, '/api/datasources', true);
  if ('failure' in list) {
    return { kind: 'unreachable', message: `cannot reach Grafana at ${opts.grafanaUrl}: ${list.failure}` };
  }
  if (list.status === 401) {
    return authProblem(list.status, Boolean(opts.token), '/api/datasources');
  }
  if (list.status === 200 && Array.isArray(list.body)) {
    const refs = list.body.map(toRef).filter((r): r is DatasourceRef => r !== null);
    return { version, datasources: refs, source: 'datasources' };
  }
  return {
    kind: 'api',
    message:
      `could not list datasources: /api/frontend/settings answered HTTP ${settings.status} without a datasources map` +
      ` and /api/datasources answered HTTP ${list.status}` +
      (list.status === 403 ? ' (listing datasources needs the datasources:read permission)' : ''),
  };
}
