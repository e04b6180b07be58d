/** Fakes for the panel's tests: a run store whose engine and transport record every call. */
import type { CheckConfig, DatasourceRef, Report, TransportRequest } from '../../engine/model';
import type { RunCheckOptions } from '../../engine';
import { SharedRunStore, type ConfigParseResult, type PanelRunDeps } from './sharedRun';

export const DATASOURCES: DatasourceRef[] = [
  { uid: 'MIMIR', name: 'Mimir', type: 'prometheus' },
  { uid: 'LOKI', name: 'Loki', type: 'loki' },
  { uid: 'TEMPO', name: 'Tempo', type: 'tempo' },
];

export function checkConfig(services: CheckConfig['services']): CheckConfig {
  return {
    services,
    identity: { metrics: { label: 'job' }, logs: { label: 'service_name' }, traces: { label: 'service.name' } },
    freshnessSeconds: { metrics: 300, logs: 600, traces: 900 },
    lookbackSeconds: 86400,
    datasources: { include: [], exclude: [] },
    timeoutMs: 10000,
    concurrency: 5,
    runbookUrls: {},
  };
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface FakeEngine {
  deps: PanelRunDeps;
  store: SharedRunStore;
  /** Every request the engine sent through the transport. */
  requests: TransportRequest[];
  settingsLoads: number;
  runs: RunCheckOptions[];
  /** Settle the n-th run (0-based) with a report or an error. */
  finish(n: number, report: Report): Promise<void>;
  fail(n: number, err: unknown): Promise<void>;
}

/**
 * `jsonData` is what the settings endpoint returns; `parse` turns it into a config (the real parser is the
 * engine's and tested there). Each run sends one request per datasource, then waits for `finish`/`fail`.
 */
export function fakeEngine(options: {
  jsonData?: unknown;
  parse?: (input: unknown) => ConfigParseResult;
  loadError?: Error;
  now?: () => number;
  coalesceMs?: number;
}): FakeEngine {
  const pending: Array<Deferred<Report>> = [];
  const engine: FakeEngine = {
    requests: [],
    settingsLoads: 0,
    runs: [],
    deps: {
      loadJsonData: async () => {
        engine.settingsLoads++;
        if (options.loadError) {
          throw options.loadError;
        }
        return options.jsonData ?? {};
      },
      parseConfig: options.parse ?? ((input) => ({ ok: true, config: input as CheckConfig })),
      listDatasources: () => DATASOURCES,
      createTransport: () => ({
        request: async (req) => {
          engine.requests.push(req);
          return { status: 200, body: { status: 'success', data: [] } };
        },
      }),
      runCheck: async (opts) => {
        engine.runs.push(opts);
        const d = deferred<Report>();
        pending.push(d);
        opts.signal?.addEventListener('abort', () =>
          d.reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))
        );
        await Promise.all(
          opts.datasources.map((datasource) =>
            opts.transport.request({ datasource, path: 'probe', signal: opts.signal ?? new AbortController().signal })
          )
        );
        return d.promise;
      },
      now: options.now,
    },
    get store() {
      return store;
    },
    async finish(n, report) {
      await until(() => pending.length > n);
      pending[n].resolve(report);
      await flush();
    },
    async fail(n, err) {
      await until(() => pending.length > n);
      pending[n].reject(err);
      await flush();
    },
  };
  const store = new SharedRunStore(engine.deps, options.coalesceMs ?? 2000);
  return engine;
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !condition(); i++) {
    await flush();
  }
  if (!condition()) {
    throw new Error('condition never became true');
  }
}
