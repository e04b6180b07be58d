import { of, throwError } from 'rxjs';
import type { BackendSrvRequest } from '@grafana/runtime';
import { loadAppSettings, saveAppSettings, SETTINGS_URL } from './settings';
import { listDatasources } from './datasources';

const fetchMock = jest.fn();
const getListMock = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (r: BackendSrvRequest) => fetchMock(r) }),
  getDataSourceSrv: () => ({ getList: (f: unknown) => getListMock(f) }),
}));

beforeEach(() => {
  fetchMock.mockReset();
  getListMock.mockReset();
});

describe('app settings', () => {
  it('reads jsonData from the plugin settings API', async () => {
    fetchMock.mockReturnValue(
      of({ status: 200, data: { enabled: true, pinned: true, jsonData: { services: [{ name: 'api' }] } } })
    );
    await expect(loadAppSettings()).resolves.toEqual({
      ok: true,
      enabled: true,
      pinned: true,
      jsonData: { services: [{ name: 'api' }] },
    });
    expect(fetchMock.mock.calls[0][0]).toMatchObject({ url: SETTINGS_URL, method: 'GET', showErrorAlert: false });
  });

  it('reports a 403 instead of pretending there are no settings', async () => {
    fetchMock.mockReturnValue(throwError(() => ({ status: 403, data: { message: 'Permission denied' }, config: {} })));
    await expect(loadAppSettings()).resolves.toEqual({ ok: false, status: 403, message: 'Permission denied' });
  });

  it('saves jsonData enabled and pinned without a success toast', async () => {
    fetchMock.mockReturnValue(of({ status: 200, data: { message: 'Plugin settings updated' } }));
    await saveAppSettings({ lookbackSeconds: 3600 });
    expect(fetchMock.mock.calls[0][0]).toMatchObject({
      url: '/api/plugins/scanium-telemetrytruth-app/settings',
      method: 'POST',
      data: { enabled: true, pinned: true, jsonData: { lookbackSeconds: 3600 } },
      showErrorAlert: false,
      showSuccessAlert: false,
    });
  });

  it('rejects a failed save with the reason', async () => {
    fetchMock.mockReturnValue(throwError(() => ({ status: 403, data: { message: 'Access denied' }, config: {} })));
    await expect(saveAppSettings({})).rejects.toThrow(/Access denied.*Org Admin/);
  });
});

describe('listDatasources', () => {
  it('keeps only the Prometheus, Loki and Tempo datasources the user can query', () => {
    getListMock.mockReturnValue([
      { uid: 'MIMIR', name: 'Mimir', type: 'prometheus' },
      { uid: 'LOKI', name: 'Loki', type: 'loki' },
      { uid: 'TEMPO', name: 'Tempo', type: 'tempo' },
      { uid: 'pg', name: 'Postgres', type: 'grafana-postgresql-datasource' },
    ]);
    expect(listDatasources()).toEqual([
      { uid: 'MIMIR', name: 'Mimir', type: 'prometheus' },
      { uid: 'LOKI', name: 'Loki', type: 'loki' },
      { uid: 'TEMPO', name: 'Tempo', type: 'tempo' },
    ]);
    expect(getListMock).toHaveBeenCalledWith({ type: ['prometheus', 'loki', 'tempo'] });
  });
});
