import { act, renderHook } from '@testing-library/react';
import { DEFAULT_CONFIG } from '../engine/config';
import { fakeRun } from '../test/fakeRun';
import { cell, incidentReport } from '../test/fixtures';
import { applyProgress, useCheckRun, type CheckRunDeps } from './useCheckRun';

const config = { ...DEFAULT_CONFIG, services: [{ name: 'scanium-backend' }], concurrency: 8 };

function setup(extra: Partial<CheckRunDeps> = {}) {
  const run = fakeRun();
  const deps: CheckRunDeps = {
    runCheck: run.runCheck,
    listDatasources: () => [{ uid: 'LOKI', name: 'Loki', type: 'loki' }],
    createTransport: () => ({ request: jest.fn() }),
    ...extra,
  };
  const hook = renderHook(({ c }) => useCheckRun(c, deps), { initialProps: { c: config as typeof config | null } });
  return { run, hook };
}

afterEach(() => jest.useRealTimers());

describe('useCheckRun', () => {
  it('does nothing until there is a config', () => {
    const run = fakeRun();
    renderHook(() => useCheckRun(null, { runCheck: run.runCheck, listDatasources: () => [] }));
    expect(run.runCheck).not.toHaveBeenCalled();
  });

  it('caps browser concurrency at Grafana’s queue size and links runbooks inside the app', () => {
    const { run } = setup();
    expect(run.last().config.concurrency).toBe(5);
    expect(run.last().runbookBaseUrl).toBe('/a/scanium-telemetrytruth-app/runbooks');
    expect(run.last().datasources).toEqual([{ uid: 'LOKI', name: 'Loki', type: 'loki' }]);
  });

  it('collects progress, then takes the final report', async () => {
    const { run, hook } = setup();
    act(() => run.emit({ type: 'cell', service: 'scanium-backend', signal: 'logs', cell: cell('empty', 'logs') }));
    expect(hook.result.current.status).toBe('running');
    expect(hook.result.current.cells['scanium-backend'].logs?.status).toBe('empty');
    await act(async () => run.finish(incidentReport()));
    expect(hook.result.current.status).toBe('done');
    expect(hook.result.current.report?.services).toHaveLength(3);
    expect(hook.result.current.cells['scanium-backend'].logs?.status).toBe('missing');
  });

  it('ignores progress from a run that was superseded', async () => {
    const { run, hook } = setup();
    const firstOptions = run.last();
    act(() => hook.result.current.refresh());
    act(() =>
      firstOptions.onProgress?.({ type: 'cell', service: 'stale-run', signal: 'logs', cell: cell('ok', 'logs') })
    );
    expect(hook.result.current.cells['stale-run']).toBeUndefined();
    expect(firstOptions.signal?.aborted).toBe(true);
  });

  it('re-runs on the auto-refresh interval and stops when switched off', () => {
    jest.useFakeTimers();
    const { run, hook } = setup();
    act(() => hook.result.current.setAutoRefresh('30s'));
    act(() => jest.advanceTimersByTime(30_000));
    expect(run.runCheck).toHaveBeenCalledTimes(2);
    act(() => hook.result.current.setAutoRefresh('off'));
    act(() => jest.advanceTimersByTime(300_000));
    expect(run.runCheck).toHaveBeenCalledTimes(2);
  });

  it('re-runs when the configuration content changes, not when only its identity does', () => {
    const { run, hook } = setup();
    hook.rerender({ c: { ...config } });
    expect(run.runCheck).toHaveBeenCalledTimes(1);
    hook.rerender({ c: { ...config, lookbackSeconds: 3600 } });
    expect(run.runCheck).toHaveBeenCalledTimes(2);
  });

  it('applyProgress replaces a datasource result rather than duplicating it', () => {
    const { datasources } = incidentReport();
    let state = applyProgress(
      {
        status: 'running',
        cells: {},
        datasourceResults: [],
        report: null,
        error: null,
        startedAt: 0,
        finishedAt: null,
      },
      { type: 'datasource', result: datasources[0] }
    );
    state = applyProgress(state, { type: 'datasource', result: { ...datasources[0], status: 'error' } });
    expect(state.datasourceResults.map((d) => d.status)).toEqual(['error']);
  });
});
