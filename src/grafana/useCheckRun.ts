/**
 * Runs the engine for a surface (page, config "Test now", panel) and exposes results as they arrive.
 * Components render state; no checking logic lives here beyond wiring.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  runCheck as engineRunCheck,
  type CellResult,
  type CheckConfig,
  type DatasourceRef,
  type DatasourceResult,
  type ProgressEvent,
  type Report,
  type Signal,
  type Transport,
} from '../engine';
import { APP_BASE_PATH } from '../engine/links/routes';
import { createBackendSrvTransport } from './transport';
import { listDatasources as grafanaDatasources } from './datasources';

/** Grafana's browser fetch queue runs 5 data-proxy requests at once on HTTP/1.1; more only queues. */
export const BROWSER_CONCURRENCY_CAP = 5;

export type AutoRefresh = 'off' | '30s' | '1m' | '5m';
export const AUTO_REFRESH_MS: Record<AutoRefresh, number | null> = {
  off: null,
  '30s': 30_000,
  '1m': 60_000,
  '5m': 300_000,
};

export type RunStatus = 'idle' | 'running' | 'done' | 'error';

export interface CheckRunState {
  status: RunStatus;
  /** Cells received so far, keyed by service then signal. */
  cells: Record<string, Partial<Record<Signal, CellResult>>>;
  datasourceResults: DatasourceResult[];
  report: Report | null;
  error: string | null;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface CheckRunDeps {
  runCheck?: typeof engineRunCheck;
  createTransport?: () => Transport;
  listDatasources?: () => DatasourceRef[];
  now?: () => number;
}

export interface UseCheckRun extends CheckRunState {
  datasources: DatasourceRef[];
  refresh: () => void;
  autoRefresh: AutoRefresh;
  setAutoRefresh: (value: AutoRefresh) => void;
}

const INITIAL: CheckRunState = {
  status: 'idle',
  cells: {},
  datasourceResults: [],
  report: null,
  error: null,
  startedAt: null,
  finishedAt: null,
};

/** Applies one progress event; pure so it can be tested and reused by the panel. */
export function applyProgress(state: CheckRunState, event: ProgressEvent): CheckRunState {
  if (event.type === 'datasource') {
    const rest = state.datasourceResults.filter((r) => r.uid !== event.result.uid);
    return { ...state, datasourceResults: [...rest, event.result] };
  }
  const row = state.cells[event.service] ?? {};
  return { ...state, cells: { ...state.cells, [event.service]: { ...row, [event.signal]: event.cell } } };
}

function cellsOf(report: Report): CheckRunState['cells'] {
  const cells: CheckRunState['cells'] = {};
  for (const service of report.services) {
    cells[service.name] = { ...service.signals };
  }
  return cells;
}

function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (err instanceof Error && (err.name === 'AbortError' || err.message.includes('aborted')));
}

/**
 * `config` null means "not ready" (settings still loading or invalid): nothing runs.
 * Each refresh, config change or unmount aborts the run in flight.
 */
export function useCheckRun(config: CheckConfig | null, deps: CheckRunDeps = {}): UseCheckRun {
  const [state, setState] = useState<CheckRunState>(INITIAL);
  const [tick, setTick] = useState(0);
  const [autoRefresh, setAutoRefresh] = useState<AutoRefresh>('off');
  const depsRef = useRef(deps);
  // Declared before the run effect so a run always sees the latest injected dependencies.
  useEffect(() => {
    depsRef.current = deps;
  });

  // Boot data does not change while the page is open: read the datasource list once.
  const [datasources] = useState(() => (deps.listDatasources ?? grafanaDatasources)());
  // Re-run only when the configuration's content changes, not its object identity.
  const configKey = useMemo(() => (config ? JSON.stringify(config) : null), [config]);

  useEffect(() => {
    if (!configKey || !config) {
      return;
    }
    const controller = new AbortController();
    const d = depsRef.current;
    const now = d.now ?? Date.now;
    setState({ ...INITIAL, status: 'running', startedAt: now() });
    const run = d.runCheck ?? engineRunCheck;
    run({
      config: { ...config, concurrency: Math.max(1, Math.min(config.concurrency, BROWSER_CONCURRENCY_CAP)) },
      transport: (d.createTransport ?? createBackendSrvTransport)(),
      datasources,
      signal: controller.signal,
      now: d.now,
      runbookBaseUrl: `${APP_BASE_PATH}/runbooks`,
      onProgress: (event) => {
        if (!controller.signal.aborted) {
          setState((s) => applyProgress(s, event));
        }
      },
    }).then(
      (report) => {
        if (!controller.signal.aborted) {
          setState((s) => ({
            ...s,
            status: 'done',
            report,
            cells: cellsOf(report),
            datasourceResults: report.datasources,
            finishedAt: now(),
          }));
        }
      },
      (err: unknown) => {
        if (!isAbort(err, controller.signal)) {
          const message = err instanceof Error ? err.message : String(err);
          setState((s) => ({ ...s, status: 'error', error: message, finishedAt: now() }));
        }
      }
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- configKey stands for config
  }, [configKey, tick, datasources]);

  useEffect(() => {
    const ms = AUTO_REFRESH_MS[autoRefresh];
    if (!ms || !configKey) {
      return;
    }
    const id = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(id);
  }, [autoRefresh, configKey]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);

  return { ...state, datasources, refresh, autoRefresh, setAutoRefresh };
}
