/** @jest-environment node */
/**
 * The panel's shared run with the REAL engine, through a Grafana proxy emulator, on the seed-incident world:
 * two panels on one dashboard cost one run's requests, a dashboard refresh one more run, and the badges
 * say what the incident was (metrics ok, logs and traces failing).
 */
import { runCheck } from '../../src/engine';
import { parseConfig } from '../../src/engine/config';
import type { TransportRequest } from '../../src/engine/model';
import { createGrafanaProxyTransport } from '../../src/engine/transport/grafana-proxy';
import { DEFAULT_OPTIONS } from '../../src/panels/telemetry-truth/options';
import { buildRows } from '../../src/panels/telemetry-truth/panelModel';
import { SharedRunStore, type RunSnapshot } from '../../src/panels/telemetry-truth/sharedRun';
import { startWorld, type World } from '../worlds';

jest.setTimeout(30_000);

let world: World;
beforeAll(async () => {
  // The Prometheus emulator (parity-tested against the real one in worlds.test.ts) keeps this test cheap.
  world = await startWorld('seed-incident', { usePrometheus: false, heartbeatMs: 0 });
});
afterAll(() => world?.stop());

function panelStore(now: () => number) {
  const requests: TransportRequest[] = [];
  const transport = createGrafanaProxyTransport({ grafanaUrl: world.grafanaUrl, token: world.token });
  let settingsLoads = 0;
  const store = new SharedRunStore({
    loadJsonData: async () => {
      settingsLoads++;
      return { services: world.expectedServices };
    },
    parseConfig: (input) => parseConfig(input, { allowUnknownKeys: true }),
    listDatasources: () => world.datasources,
    createTransport: () => ({
      request: (req) => {
        requests.push(req);
        return transport.request(req);
      },
    }),
    runCheck,
    now,
  });
  return { store, requests, settingsLoads: () => settingsLoads };
}

/** Resolves with the first finished snapshot of a run started at or after `since`. */
function settled(store: SharedRunStore, key: string, since: number): Promise<RunSnapshot> {
  return new Promise((resolve) => {
    let unsubscribe: (() => void) | null = null;
    let done = false;
    unsubscribe = store.subscribe(key, (s) => {
      if (!done && s.phase !== 'loading' && s.startedAt >= since) {
        done = true;
        resolve(s);
        queueMicrotask(() => unsubscribe?.());
      }
    });
  });
}

it('two panels share one run of the real engine and show the seed incident; a refresh costs one more run', async () => {
  let now = Date.now();
  const { store, requests, settingsLoads } = panelStore(() => now);
  const key = store.currentKey();
  // Panel A and panel B subscribe and ask for a run as they mount.
  const seenByB: RunSnapshot[] = [];
  const unsubscribeB = store.subscribe(key, (s) => seenByB.push(s));
  const doneA = settled(store, key, now);
  expect(store.request(key, now)).toBe(true);
  expect(store.request(key, now)).toBe(false);
  const snapshot = await doneA;

  expect(snapshot.phase).toBe('done');
  expect(settingsLoads()).toBe(1);
  const oneRun = requests.length;
  expect(oneRun).toBeGreaterThan(0);
  // Every request was for one of the three datasources, none duplicated for the second panel.
  const keys = requests.map((r) => `${r.datasource.uid} ${r.path} ${JSON.stringify(r.params ?? {})}`);
  expect(new Set(keys).size).toBe(keys.length);

  const rows = buildRows(DEFAULT_OPTIONS, snapshot);
  const statuses = Object.fromEntries(
    rows[0].badges.map((b) => [b.signal, b.state.kind === 'cell' ? b.state.cell.status : b.state.kind])
  );
  expect(rows.map((r) => r.service)).toEqual(['scanium-backend']);
  // Mimir was fine; Loki holds no labels and Tempo no services: the incident's two broken signals.
  expect(statuses).toEqual({ metrics: 'ok', logs: 'empty', traces: 'empty' });
  expect(seenByB[seenByB.length - 1].phase).toBe('done');

  // The dashboard refreshes 30 s later: both panels ask, one run goes out.
  now += 30_000;
  const refreshed = settled(store, key, now);
  expect(store.request(key, now)).toBe(true);
  expect(store.request(key, now)).toBe(false);
  await refreshed;
  expect(requests.length).toBe(2 * oneRun);
  unsubscribeB();
});
