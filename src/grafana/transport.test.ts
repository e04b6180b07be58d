import { Observable, of, throwError } from 'rxjs';
import type { BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { TransportError, type DatasourceRef, type TransportRequest } from '../engine';
import { createBackendSrvTransport, proxyUrl } from './transport';

const loki: DatasourceRef = { uid: 'LOKI/prod', name: 'Loki', type: 'loki' };

function response(status: number, data: unknown, contentType = 'application/json'): FetchResponse<unknown> {
  return {
    status,
    data,
    ok: status < 300,
    headers: new Headers({ 'content-type': contentType }),
  } as unknown as FetchResponse<unknown>;
}
function fetchError(status: number, data: unknown, extra: Partial<FetchError> = {}): FetchError {
  return { status, data, statusText: '', config: { url: '' }, ...extra };
}

function fakeSrv(handler: (req: BackendSrvRequest) => Observable<FetchResponse<unknown>>) {
  const calls: BackendSrvRequest[] = [];
  return {
    calls,
    srv: {
      fetch: <T>(req: BackendSrvRequest) => {
        calls.push(req);
        return handler(req) as unknown as Observable<FetchResponse<T>>;
      },
    },
  };
}

function req(extra: Partial<TransportRequest> = {}): TransportRequest {
  return {
    datasource: loki,
    path: 'loki/api/v1/labels',
    params: { start: '1', end: '2' },
    signal: new AbortController().signal,
    ...extra,
  };
}

describe('createBackendSrvTransport', () => {
  it('sends a quiet GET through the datasource proxy with an id per run, datasource and probe', async () => {
    const { srv, calls } = fakeSrv(() => of(response(200, { status: 'success', data: ['job'] })));
    const transport = createBackendSrvTransport({ backendSrv: srv, runId: 'r1' });
    const res = await transport.request(req({ params: { match: ['{a="1"}', '{b="2"}'], start: '1' } }));
    expect(res).toEqual({ status: 200, body: { status: 'success', data: ['job'] }, contentType: 'application/json' });
    expect(calls[0]).toMatchObject({
      url: '/api/datasources/proxy/uid/LOKI%2Fprod/loki/api/v1/labels?match=%7Ba%3D%221%22%7D&match=%7Bb%3D%222%22%7D&start=1',
      method: 'GET',
      showErrorAlert: false,
      hideFromInspector: true,
      requestId: 'telemetry-truth-r1-LOKI/prod-loki/api/v1/labels-1',
    });
    expect((calls[0] as { abortSignal?: AbortSignal }).abortSignal).toBeInstanceOf(AbortSignal);
    await transport.request(req());
    expect(calls[1].requestId).toBe('telemetry-truth-r1-LOKI/prod-loki/api/v1/labels-2');
  });

  it('resolves HTTP errors with their status and keeps string bodies as strings', async () => {
    const { srv } = fakeSrv((r) =>
      r.url.includes('labels')
        ? throwError(() => fetchError(400, 'Authentication to data source failed'))
        : throwError(() => fetchError(502, ''))
    );
    const transport = createBackendSrvTransport({ backendSrv: srv });
    await expect(transport.request(req())).resolves.toEqual({
      status: 400,
      body: 'Authentication to data source failed',
    });
    await expect(transport.request(req({ path: 'loki/api/v1/query_range' }))).resolves.toEqual({
      status: 502,
      body: '',
    });
  });

  it('passes an HTML error page through untouched for the engine to judge', async () => {
    const { srv } = fakeSrv(() => throwError(() => fetchError(503, '<html><body>Service Unavailable</body></html>')));
    const res = await createBackendSrvTransport({ backendSrv: srv }).request(req());
    expect(res).toEqual({ status: 503, body: '<html><body>Service Unavailable</body></html>' });
  });

  it('rejects with a network TransportError when nothing answered (status 0 or -1, no body)', async () => {
    for (const status of [0, -1]) {
      const { srv } = fakeSrv(() => throwError(() => fetchError(status, undefined, { statusText: 'Failed to fetch' })));
      const err = await createBackendSrvTransport({ backendSrv: srv })
        .request(req())
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).kind).toBe('network');
    }
  });

  it('rejects with aborted when Grafana reports the request as cancelled', async () => {
    const { srv } = fakeSrv(() => throwError(() => fetchError(-1, undefined, { cancelled: true })));
    const err = await createBackendSrvTransport({ backendSrv: srv })
      .request(req())
      .catch((e: unknown) => e);
    expect((err as TransportError).kind).toBe('aborted');
  });

  it('unsubscribes from backendSrv and rejects when the run is cancelled mid-flight', async () => {
    let unsubscribed = false;
    const { srv } = fakeSrv(
      () =>
        new Observable<FetchResponse<unknown>>(() => () => {
          unsubscribed = true;
        })
    );
    const controller = new AbortController();
    const pending = createBackendSrvTransport({ backendSrv: srv }).request(req({ signal: controller.signal }));
    controller.abort();
    const err = await pending.catch((e: unknown) => e);
    expect((err as TransportError).kind).toBe('aborted');
    expect(unsubscribed).toBe(true);
  });

  it('does not send anything when the signal is already aborted', async () => {
    const { srv, calls } = fakeSrv(() => of(response(200, {})));
    const controller = new AbortController();
    controller.abort();
    await expect(
      createBackendSrvTransport({ backendSrv: srv }).request(req({ signal: controller.signal }))
    ).rejects.toBeInstanceOf(TransportError);
    expect(calls).toHaveLength(0);
  });

  it('builds proxy URLs without a double slash', () => {
    expect(
      proxyUrl({ datasource: { uid: 'MIMIR', name: 'Mimir', type: 'prometheus' }, path: '/api/v1/status/buildinfo' })
    ).toBe('/api/datasources/proxy/uid/MIMIR/api/v1/status/buildinfo');
  });
});
