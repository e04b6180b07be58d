/**
 * HARNESS BackendSrv — not Grafana's, but modelled field by field on `public/app/core/services/backend_srv.ts`
 * (10.3 and 12/13 behave the same for what the plugin uses; grafana-conventions.md §4.1):
 *  - `fetch(options)` returns a COLD rxjs Observable of `{ data, status, statusText, ok, headers, redirected,
 *    type, url, config }`; the body is JSON-parsed when possible and kept as a raw string otherwise;
 *  - status >= 400 errors with a FetchError `{ status, statusText, data, config, message? }`;
 *  - local URLs lose their leading/trailing slash and resolve against `<base href>` (appSubUrl);
 *  - `params` are serialised with @grafana/data's `urlUtil.serializeParams` after dropping undefined/empty ones;
 *  - `showErrorAlert` follows Grafana's rule (undefined → only local, non-data-query API calls toast);
 *  - `requestId`: a new request with the same id cancels the in-flight one, which then errors with
 *    `{ cancelled: true, status: -1, statusText: 'Request was aborted', data: null }`;
 *  - `abortSignal` is passed to `fetch` (newer Grafana does this; unsubscribing aborts only until headers arrive
 *    because the body is read after `fromFetch` emits, like Grafana).
 * Not emulated: the 5-parallel data-query queue, the /api/login/ping logout on 401, token rotation.
 */
import { urlUtil } from '@grafana/data';
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { Observable, Subject, lastValueFrom, throwError } from 'rxjs';
import { fromFetch } from 'rxjs/fetch';
import { catchError, filter, map, mergeMap, takeUntil, throwIfEmpty } from 'rxjs/operators';

const CANCEL_ALL = 'cancel-all-in-flight-requests-key';

export interface RecordedRequest {
  method: string;
  url: string;
  requestId?: string;
  showErrorAlert?: boolean;
  status?: number;
  cancelled?: boolean;
}

function isLocalUrl(url: string): boolean {
  return !/^(https?:)?\/\//i.test(url);
}

function isDataQuery(url: string): boolean {
  return url.includes('api/datasources/proxy') || url.includes('api/tsdb/query') || url.includes('api/ds/query');
}

function cleanParams(params: BackendSrvRequest['params']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!params || typeof params !== 'object') {
    return out;
  }
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    if (value === undefined) {
      continue;
    }
    if ((typeof value === 'string' || Array.isArray(value)) && value.length === 0) {
      continue;
    }
    out[key] = value;
  }
  return out;
}

function buildUrl(options: BackendSrvRequest): string {
  let url = options.url;
  if (isLocalUrl(url)) {
    if (url.startsWith('/')) {
      url = url.substring(1);
    }
    if (url.endsWith('/') && url.length > 1) {
      url = url.substring(0, url.length - 1);
    }
  }
  const params = cleanParams(options.params);
  const serialized = urlUtil.serializeParams(params);
  return serialized.length ? `${url}${url.includes('?') ? '&' : '?'}${serialized}` : url;
}

function buildBody(options: BackendSrvRequest, headers: Record<string, string>): BodyInit | undefined {
  const data: unknown = options.data;
  if (data === undefined || data === null) {
    return undefined;
  }
  if (typeof data === 'string' || data instanceof FormData || data instanceof URLSearchParams || data instanceof Blob) {
    return data;
  }
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/json';
  }
  return JSON.stringify(data);
}

async function parseBody(response: Response, responseType: BackendSrvRequest['responseType']): Promise<unknown> {
  if (responseType === 'blob') {
    return response.blob();
  }
  if (responseType === 'arraybuffer') {
    return response.arrayBuffer();
  }
  const text = await response.text();
  if (responseType === 'text') {
    return text;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorMessage(err: FetchError): string {
  const data: unknown = err.data;
  if (data && typeof data === 'object') {
    const rec = data as Record<string, unknown>;
    if (typeof rec.message === 'string') {
      return rec.message;
    }
    if (typeof rec.error === 'string') {
      return rec.error;
    }
  }
  return err.statusText || `Request failed with status ${err.status}`;
}

export type AlertKind = 'alert-error' | 'alert-success';

export class HarnessBackendSrv {
  /** `alert(kind, payload)` is what Grafana's `appEvents.emit(AppEvents.alertError|alertSuccess, payload)` does. */
  constructor(private alert: (kind: AlertKind, payload: string[]) => void) {}

  private inFlight = new Subject<string>();
  readonly requests: RecordedRequest[] = [];

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((subscriber) => {
      const inner = this.internalFetch<T>(options).subscribe(subscriber);
      return () => inner.unsubscribe();
    });
  }

  private internalFetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    const config: BackendSrvRequest = { ...options, method: (options.method ?? 'GET').toUpperCase() };
    if (config.requestId) {
      this.inFlight.next(config.requestId);
    }
    const url = buildUrl(config);
    const headers: Record<string, string> = { Accept: 'application/json, text/plain, */*' };
    for (const [k, v] of Object.entries((config.headers ?? {}) as Record<string, unknown>)) {
      if (typeof v === 'string') {
        headers[k] = v;
      }
    }
    if (isLocalUrl(url)) {
      headers['X-Grafana-Org-Id'] = '1';
    }
    const body = buildBody(config, headers);
    const record: RecordedRequest = {
      method: config.method ?? 'GET',
      url,
      requestId: config.requestId,
      showErrorAlert: config.showErrorAlert,
    };
    this.requests.push(record);

    const init: RequestInit = {
      method: config.method,
      headers,
      body,
      credentials: config.credentials ?? 'same-origin',
      // `abortSignal` is in the request type from runtime 10.4/11 on; read it without depending on that.
      signal: (config as { abortSignal?: AbortSignal }).abortSignal ?? undefined,
    };

    return fromFetch(url, init).pipe(
      mergeMap(async (response) => {
        const data = await parseBody(response, config.responseType);
        const headersCopy = response.headers;
        return {
          data: data as T,
          status: response.status,
          statusText: response.statusText,
          ok: response.ok,
          headers: headersCopy,
          redirected: response.redirected,
          type: response.type,
          url: response.url,
          config,
        } satisfies FetchResponse<T>;
      }),
      mergeMap((response) => {
        record.status = response.status;
        if (response.status >= 400 || !response.ok) {
          const err: FetchError = {
            status: response.status,
            statusText: response.statusText,
            data: response.data,
            config,
          };
          return throwError(() => err);
        }
        if (
          config.method !== 'GET' &&
          config.showSuccessAlert !== false &&
          response.data &&
          typeof response.data === 'object' &&
          typeof (response.data as Record<string, unknown>).message === 'string'
        ) {
          this.alert('alert-success', [String((response.data as Record<string, unknown>).message)]);
        }
        return [response];
      }),
      catchError((err: unknown) => {
        const fetchErr: FetchError = isFetchErrorLike(err)
          ? err
          : { status: 0, statusText: String(err), data: { message: String(err) }, config };
        if (fetchErr.data && typeof fetchErr.data === 'object' && !('message' in fetchErr.data)) {
          const d = fetchErr.data as Record<string, unknown>;
          if (typeof d.error === 'string') {
            d.message = d.error;
          }
        }
        this.maybeShowErrorAlert(config, fetchErr);
        return throwError(() => fetchErr);
      }),
      takeUntil(this.inFlight.pipe(filter((id) => id === config.requestId || id === CANCEL_ALL))),
      throwIfEmpty(() => {
        record.cancelled = true;
        // Grafana: { type: DataQueryErrorType.Cancelled, cancelled: true, data: null, status: -1, … }
        const cancelled: FetchError & { type: string } = {
          type: 'cancelled',
          cancelled: true,
          data: null,
          status: -1,
          statusText: 'Request was aborted',
          config,
        };
        return cancelled;
      })
    );
  }

  private maybeShowErrorAlert(config: BackendSrvRequest, err: FetchError) {
    if (config.showErrorAlert === false) {
      return;
    }
    if (config.showErrorAlert === undefined && (isDataQuery(config.url) || !isLocalUrl(config.url))) {
      return;
    }
    this.alert('alert-error', [errorMessage(err)]);
  }

  resolveCancelerIfExists(requestId: string) {
    this.inFlight.next(requestId);
  }

  cancelAllInFlightRequests() {
    this.inFlight.next(CANCEL_ALL);
  }

  request<T = unknown>(options: BackendSrvRequest): Promise<T> {
    return lastValueFrom(this.fetch<T>(options).pipe(map((r) => r.data)));
  }

  datasourceRequest<T = unknown>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }

  get<T = unknown>(url: string, params?: BackendSrvRequest['params'], requestId?: string, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, method: 'GET', url, params, requestId });
  }
  delete<T = unknown>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, method: 'DELETE', url, data });
  }
  post<T = unknown>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, method: 'POST', url, data });
  }
  patch<T = unknown>(url: string, data: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, method: 'PATCH', url, data });
  }
  put<T = unknown>(url: string, data: unknown, options?: Partial<BackendSrvRequest>) {
    return this.request<T>({ ...options, method: 'PUT', url, data });
  }
}

function isFetchErrorLike(err: unknown): err is FetchError {
  return typeof err === 'object' && err !== null && 'status' in err && 'data' in err;
}

/** The instance handed to setBackendSrv (typed loosely: the interface differs slightly between lines). */
export function asBackendSrv(srv: HarnessBackendSrv): BackendSrv {
  return srv as unknown as BackendSrv;
}
