/**
 * The engine's Transport on top of Grafana's backendSrv: every probe goes through the data-source proxy of the
 * signed-in user, so it sees exactly what that user may query. Classification stays in the engine: this adapter
 * only reports what came over the wire.
 */
import { getBackendSrv, isFetchError, type BackendSrvRequest, type FetchResponse } from '@grafana/runtime';
import type { Subscription } from 'rxjs';
import { TransportError, type Transport, type TransportRequest, type TransportResponse } from '../engine';

/** `abortSignal` is honoured by newer Grafana (absent from the 10.3.3 types); older lines ignore it. */
type ProbeRequest = BackendSrvRequest & { abortSignal?: AbortSignal };

export interface BackendSrvTransportOptions {
  /** Distinguishes this run's request ids from other runs (and other tabs' panels). */
  runId?: string;
  /** Injected in tests; defaults to `getBackendSrv()`. */
  backendSrv?: Pick<ReturnType<typeof getBackendSrv>, 'fetch'>;
}

let runCounter = 0;

export function proxyUrl(req: Pick<TransportRequest, 'datasource' | 'path' | 'params'>): string {
  const path = req.path.replace(/^\/+/, '');
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(req.params ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      query.append(key, v);
    }
  }
  const qs = query.toString();
  return `/api/datasources/proxy/uid/${encodeURIComponent(req.datasource.uid)}/${path}${qs ? `?${qs}` : ''}`;
}

export function createBackendSrvTransport(options: BackendSrvTransportOptions = {}): Transport {
  const runId = options.runId ?? `${Date.now().toString(36)}-${++runCounter}`;
  let sequence = 0;
  return {
    request(req: TransportRequest): Promise<TransportResponse> {
      const srv = options.backendSrv ?? getBackendSrv();
      // One id per (run, datasource, probe): a later run never cancels this one by accident, and Grafana's
      // inspector and logs can tell our probes apart.
      const requestId = `telemetry-truth-${runId}-${req.datasource.uid}-${req.path}-${++sequence}`;
      const request: ProbeRequest = {
        url: proxyUrl(req),
        method: req.method ?? 'GET',
        showErrorAlert: false,
        showSuccessAlert: false,
        hideFromInspector: true,
        retry: 0,
        requestId,
        abortSignal: req.signal,
      };
      return new Promise<TransportResponse>((resolve, reject) => {
        if (req.signal.aborted) {
          reject(new TransportError('aborted', `request to ${req.path} was cancelled`));
          return;
        }
        let subscription: Subscription | undefined;
        const onAbort = () => {
          subscription?.unsubscribe();
          reject(new TransportError('aborted', `request to ${req.path} was cancelled`));
        };
        req.signal.addEventListener('abort', onAbort, { once: true });
        const settle = (fn: () => void) => {
          req.signal.removeEventListener('abort', onAbort);
          fn();
        };
        subscription = srv.fetch<unknown>(request).subscribe({
          next: (response) => settle(() => resolve(fromResponse(response))),
          error: (err: unknown) => settle(() => fromError(err, req, resolve, reject)),
        });
      });
    },
  };
}

function fromResponse(response: FetchResponse<unknown>): TransportResponse {
  const contentType = response.headers?.get?.('content-type')?.toLowerCase() ?? undefined;
  return { status: response.status, body: response.data, contentType };
}

function fromError(
  err: unknown,
  req: TransportRequest,
  resolve: (r: TransportResponse) => void,
  reject: (e: unknown) => void
): void {
  if (req.signal.aborted) {
    reject(new TransportError('aborted', `request to ${req.path} was cancelled`));
    return;
  }
  if (isFetchError(err)) {
    if (err.cancelled) {
      reject(new TransportError('aborted', `request to ${req.path} was cancelled`));
      return;
    }
    const hasBody = err.data !== undefined && err.data !== null && err.data !== '';
    if (err.status > 0 || hasBody) {
      // HTTP answered: hand the status and raw body (string stays a string) to the engine.
      resolve({ status: err.status > 0 ? err.status : 0, body: err.data ?? '' });
      return;
    }
    reject(
      new TransportError('network', `no HTTP answer for ${req.path}${err.statusText ? `: ${err.statusText}` : ''}`)
    );
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  reject(new TransportError('network', `no HTTP answer for ${req.path}: ${message}`));
}
