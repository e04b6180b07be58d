/**
 * The page on the real engine: the seed incident (fresh metrics, Loki holding nothing, Tempo behind a 502) goes
 * through the backendSrv transport, the engine's probes and judge, and ends up as cells a user reads.
 */
import React from 'react';
import { Observable, throwError } from 'rxjs';
import { render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom-v5-compat';
import type { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import type { DatasourceRef, TransportRequest } from '../../engine';
import { createFakeTransport, type FakeBackend } from '../../engine/__fixtures__/fake-backends';
import { createBackendSrvTransport } from '../../grafana/transport';
import { testIds } from '../../components/testIds';
import { TruthPage } from './TruthPage';

const MIMIR: DatasourceRef = { uid: 'MIMIR', name: 'Mimir', type: 'prometheus' };
const LOKI: DatasourceRef = { uid: 'LOKI', name: 'Loki', type: 'loki' };
const TEMPO: DatasourceRef = { uid: 'TEMPO', name: 'Tempo', type: 'tempo' };

/** A backendSrv whose data-source proxy answers from in-memory backends, with Grafana's error shapes. */
function fakeBackendSrv(backends: FakeBackend[]) {
  const upstream = createFakeTransport(backends);
  const seen: BackendSrvRequest[] = [];
  const fetch = <T,>(req: BackendSrvRequest): Observable<FetchResponse<T>> => {
    seen.push(req);
    const url = new URL(req.url, 'http://grafana.local');
    const m = /^\/api\/datasources\/proxy\/uid\/([^/]+)\/(.*)$/.exec(url.pathname);
    const ref = backends.find((b) => b.ref.uid === decodeURIComponent(m?.[1] ?? ''))?.ref;
    if (!m || !ref) {
      return throwError(() => ({ status: 404, data: { message: 'Unable to find datasource' }, config: req }));
    }
    const params: Record<string, string[]> = {};
    url.searchParams.forEach((v, k) => (params[k] = [...(params[k] ?? []), v]));
    const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
    const treq: TransportRequest = { datasource: ref, path: m[2], params: flat, signal: new AbortController().signal };
    return new Observable<FetchResponse<T>>((sub) => {
      upstream.request(treq).then((res) => {
        if (res.status >= 400) {
          sub.error({ status: res.status, data: res.body, statusText: '', config: req });
        } else {
          sub.next({
            status: res.status,
            data: res.body as T,
            ok: true,
            headers: new Headers(),
          } as unknown as FetchResponse<T>);
          sub.complete();
        }
      });
    });
  };
  return { srv: { fetch }, seen };
}

it('shows the seed incident as the engine judges it, probing quietly through the datasource proxy', async () => {
  const now = Date.now();
  const { srv, seen } = fakeBackendSrv([
    {
      ref: MIMIR,
      streams: [{ labels: { __name__: 'http_requests_total', job: 'scanium-backend' }, newestMs: now - 20_000 }],
    },
    { ref: LOKI, streams: [] },
    { ref: TEMPO, streams: [], override: () => ({ status: 502, body: '' }) },
  ]);
  render(
    <MemoryRouter>
      <TruthPage
        deps={{
          listDatasources: () => [MIMIR, LOKI, TEMPO],
          createTransport: () => createBackendSrvTransport({ backendSrv: srv }),
          loadSettings: async () => ({
            ok: true,
            jsonData: { services: ['scanium-backend'] },
            enabled: true,
            pinned: true,
          }),
          isAdmin: true,
          canExplore: true,
        }}
      />
    </MemoryRouter>
  );
  const cell = (signal: string) => screen.findByTestId(testIds.matrix.cell('scanium-backend', signal));
  await waitFor(async () => expect(await cell('traces')).toHaveTextContent('unreachable'), { timeout: 5000 });
  expect(await cell('metrics')).toHaveTextContent('ok');
  expect(await cell('logs')).toHaveTextContent(/empty.*TT-LOGS-EMPTY/);
  expect(await cell('traces')).toHaveTextContent('TT-UNREACHABLE');
  await waitFor(() =>
    expect(screen.getByTestId(testIds.page.summary)).toHaveTextContent('1 service checked · 0 fully ok · 1 failing')
  );
  expect(within(screen.getByTestId(testIds.datasources.card('TEMPO'))).getByText('unreachable')).toBeInTheDocument();

  expect(seen.length).toBeGreaterThan(0);
  for (const req of seen) {
    expect(req.url).toMatch(/^\/api\/datasources\/proxy\/uid\/(MIMIR|LOKI|TEMPO)\//);
    expect(req).toMatchObject({ method: 'GET', showErrorAlert: false, hideFromInspector: true });
  }
});
