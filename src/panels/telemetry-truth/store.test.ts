import type { RunCheckOptions } from '../../engine';
import { flush } from './testing';

const loadAppSettings = jest.fn();
const runCheck = jest.fn<Promise<unknown>, [RunCheckOptions]>();
jest.mock('../../grafana', () => ({
  BROWSER_CONCURRENCY_CAP: 5,
  loadAppSettings: () => loadAppSettings(),
  listDatasources: () => [{ uid: 'LOKI', name: 'Loki', type: 'loki' }],
  createBackendSrvTransport: () => ({ request: jest.fn() }),
}));
jest.mock('../../engine', () => ({
  ...jest.requireActual('../../engine'),
  runCheck: (o: RunCheckOptions) => runCheck(o),
}));

const { getDefaultStore } = require('./store') as typeof import('./store');

function lastSnapshot() {
  const store = getDefaultStore();
  const key = store.currentKey();
  const seen: unknown[] = [];
  const off = store.subscribe(key, (s) => seen.push(s));
  store.request(key, Number.POSITIVE_INFINITY);
  return { store, key, off, seen };
}

describe('the module-wide store', () => {
  beforeEach(() => {
    loadAppSettings.mockReset();
    runCheck.mockReset();
  });

  it('is one instance for every panel of the page', () => {
    expect(getDefaultStore()).toBe(getDefaultStore());
  });

  it('parses the saved jsonData with the engine, caps concurrency at Grafana’s browser queue and links runbooks in the app', async () => {
    loadAppSettings.mockResolvedValue({
      ok: true,
      enabled: true,
      pinned: true,
      jsonData: { services: ['api'], concurrency: 20, apiUrl: 'left by an old version' },
    });
    runCheck.mockReturnValue(new Promise(() => undefined));
    const { off } = lastSnapshot();
    await flush();
    expect(runCheck).toHaveBeenCalledTimes(1);
    const options = runCheck.mock.calls[0][0];
    expect(options.config.services).toEqual([{ name: 'api' }]);
    expect(options.config.concurrency).toBe(5);
    expect(options.runbookBaseUrl).toBe('/a/scanium-telemetrytruth-app/runbooks');
    off();
  });

  it('tells a user who may not read the settings what to ask for', async () => {
    loadAppSettings.mockResolvedValue({ ok: false, status: 403, message: 'Forbidden' });
    const { off, seen } = lastSnapshot();
    await flush();
    expect(seen[seen.length - 1]).toMatchObject({ phase: 'error', error: expect.stringContaining('ask an Org Admin') });
    expect(runCheck).not.toHaveBeenCalled();
    off();
  });
});
