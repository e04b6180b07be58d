import React from 'react';
import { act, render, screen, within } from '@testing-library/react';
import { dateTime, EventBusSrv, type PanelProps } from '@grafana/data';
import { RefreshEvent } from '@grafana/runtime';
import { cell, report, service } from '../../test/fixtures';
import { DEFAULT_OPTIONS, type PanelOptions } from './options';
import { TelemetryTruthPanel } from './TelemetryTruthPanel';
import { checkConfig, fakeEngine, flush } from './testing';

// The real store talks to Grafana; every test injects a store over a fake engine instead.
jest.mock('./store', () => ({
  getDefaultStore: () => {
    throw new Error('tests must inject a store');
  },
}));

const CONFIG = checkConfig([{ name: 'checkout' }, { name: 'scanium-backend', signals: ['metrics', 'logs'] }]);
const INCIDENT = report([
  service('checkout', { metrics: 'ok', logs: 'ok', traces: 'ok' }),
  service('scanium-backend', { metrics: 'ok', logs: 'missing' }),
]);

type Engine = ReturnType<typeof fakeEngine>;

function renderPanel(engine: Engine, options: Partial<PanelOptions> = {}, eventBus = new EventBusSrv()) {
  const props = {
    options: { ...DEFAULT_OPTIONS, ...options },
    eventBus,
    width: 200,
    height: 100,
    store: engine.store,
  } as unknown as PanelProps<PanelOptions> & { store: Engine['store'] };
  return { eventBus, ...render(<TelemetryTruthPanel {...props} />) };
}

async function settle() {
  await act(async () => {
    await flush();
  });
}

describe('TelemetryTruthPanel', () => {
  it('shows a loading state until the settings are read', async () => {
    const engine = fakeEngine({ jsonData: CONFIG });
    renderPanel(engine);
    expect(screen.getByRole('status')).toHaveTextContent('Checking telemetry…');
    await settle();
  });

  it('shows pending badges while probing, then one badge per expected service and signal', async () => {
    const engine = fakeEngine({ jsonData: CONFIG });
    renderPanel(engine);
    await settle();
    // checkout × 3 + scanium-backend × 2 (it does not expect traces)
    expect(screen.getAllByTestId('tt-badge').map((b) => b.dataset.status)).toEqual(Array(5).fill('pending'));
    expect(screen.getByText('5 checking')).toBeInTheDocument();

    await act(() => engine.finish(0, INCIDENT));
    const badges = screen.getAllByTestId('tt-badge');
    expect(badges.map((b) => b.dataset.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'missing']);
    expect(screen.getByText('1 failing, 4 ok')).toBeInTheDocument();
  });

  it('links each badge to the app page detail and a failing one to its runbook', async () => {
    const engine = fakeEngine({ jsonData: CONFIG });
    renderPanel(engine, { showCodes: true });
    await settle();
    await act(() => engine.finish(0, INCIDENT));

    const missing = screen.getByRole('link', { name: /scanium-backend logs: missing/ });
    expect(missing).toHaveAttribute('href', '/a/scanium-telemetrytruth-app/truth?service=scanium-backend&signal=logs');
    expect(missing).toHaveTextContent('missing');
    expect(missing).toHaveTextContent('TT-LOGS-MISSING');
    const runbook = screen.getByRole('link', { name: 'Runbook for TT-LOGS-MISSING' });
    expect(runbook).toHaveAttribute('href', '/a/scanium-telemetrytruth-app/runbooks/TT-LOGS-MISSING');
    expect(runbook).not.toHaveAttribute('target');
    // ok cells have no runbook link
    expect(screen.getAllByRole('link', { name: /^Runbook for/ })).toHaveLength(1);
  });

  it('opens an org-specific runbook URL in a new tab without leaking the opener', async () => {
    const engine = fakeEngine({ jsonData: CONFIG });
    renderPanel(engine);
    await settle();
    const overridden = cell('missing', 'logs', { runbook: 'https://wiki.example.com/runbooks/logs-missing' });
    await act(() =>
      engine.finish(0, report([{ name: 'scanium-backend', expected: true, signals: { logs: overridden } }]))
    );
    const runbook = screen.getByRole('link', { name: 'Runbook for TT-LOGS-MISSING' });
    expect(runbook).toHaveAttribute('target', '_blank');
    expect(runbook).toHaveAttribute('rel', 'noopener noreferrer');
  });

  it('shows ages and codes only when enabled', async () => {
    const engine = fakeEngine({ jsonData: CONFIG });
    const { rerender, eventBus } = renderPanel(engine, { showAges: true, showCodes: false });
    await settle();
    await act(() => engine.finish(0, INCIDENT));
    const ok = screen.getByRole('link', { name: /checkout metrics: ok/ });
    expect(ok).toHaveTextContent('42 s ago');
    expect(ok).not.toHaveTextContent('TT-METRICS-OK');

    rerender(
      <TelemetryTruthPanel
        {...({
          options: { ...DEFAULT_OPTIONS, showAges: false, showCodes: true },
          eventBus,
          width: 200,
          height: 100,
          store: engine.store,
        } as unknown as PanelProps<PanelOptions>)}
      />
    );
    const again = screen.getByRole('link', { name: /checkout metrics: ok/ });
    expect(again).not.toHaveTextContent('42 s ago');
    expect(again).toHaveTextContent('TT-METRICS-OK');
  });

  it('renders a services × signals grid with a dash-free “not expected” cell', async () => {
    const engine = fakeEngine({ jsonData: CONFIG });
    renderPanel(engine, { layout: 'grid' });
    await settle();
    await act(() => engine.finish(0, INCIDENT));
    const table = screen.getByRole('table');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent)
    ).toEqual(['Service', 'metrics', 'logs', 'traces']);
    const backendRow = within(table).getByRole('row', { name: /scanium-backend/ });
    expect(
      within(backendRow)
        .getAllByTestId('tt-badge')
        .map((b) => b.dataset.status)
    ).toEqual(['ok', 'missing', 'not-expected']);
  });

  it('limits badges to the chosen services and signals and names chosen services the app does not expect', async () => {
    const engine = fakeEngine({ jsonData: CONFIG });
    renderPanel(engine, { serviceMode: 'chosen', services: ['scanium-backend', 'mobile'], signals: ['logs'] });
    await settle();
    await act(() => engine.finish(0, INCIDENT));
    expect(screen.getAllByTestId('tt-badge').map((b) => b.dataset.status)).toEqual(['missing']);
    expect(screen.getByText(/Not expected by the app: mobile/)).toBeInTheDocument();
    // One service: named once in the summary, the badge shows the signal; its accessible name keeps both.
    expect(screen.getByText('scanium-backend: 1 failing')).toBeInTheDocument();
    const badge = screen.getByRole('link', { name: /^scanium-backend logs: missing/ });
    expect(badge).not.toHaveTextContent('scanium-backend');
    expect(badge).toHaveTextContent(/^logs/);
  });

  it('says when no services are configured and links to the configuration', async () => {
    const engine = fakeEngine({ jsonData: checkConfig([]) });
    renderPanel(engine);
    await settle();
    expect(screen.getByRole('status')).toHaveTextContent('No expected services are configured.');
    expect(screen.getByRole('link', { name: 'Add services' })).toHaveAttribute(
      'href',
      '/a/scanium-telemetrytruth-app/configuration'
    );
    expect(engine.requests).toHaveLength(0);
  });

  it('shows why it could not run, and Retry starts a new run', async () => {
    const engine = fakeEngine({ jsonData: CONFIG });
    renderPanel(engine);
    await settle();
    await act(() => engine.fail(0, new Error('the app settings could not be loaded (HTTP 500)')));
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Telemetry Truth could not run: the app settings could not be loaded (HTTP 500)'
    );

    await act(async () => {
      screen.getByRole('button', { name: 'Retry' }).click();
      await flush();
    });
    expect(engine.runs).toHaveLength(2);
  });

  it('reports an invalid app configuration instead of guessing', async () => {
    const engine = fakeEngine({
      jsonData: {},
      parse: () => ({ ok: false, errors: [{ path: 'lookback', message: 'expected a positive duration' }] }),
    });
    renderPanel(engine);
    await settle();
    expect(screen.getByRole('alert')).toHaveTextContent('lookback: expected a positive duration');
    expect(screen.getByRole('link', { name: 'Fix the configuration' })).toBeInTheDocument();
  });

  it('shares one probe run between two panels and follows each dashboard refresh once', async () => {
    const engine = fakeEngine({ jsonData: CONFIG, coalesceMs: 2000 });
    const dashboard = new EventBusSrv();
    renderPanel(engine, {}, dashboard);
    renderPanel(engine, { layout: 'grid' }, dashboard);
    await settle();
    expect(engine.settingsLoads).toBe(1);
    expect(engine.requests).toHaveLength(3); // one per datasource, not per panel
    await act(() => engine.finish(0, INCIDENT));
    expect(screen.getAllByRole('link', { name: /scanium-backend logs: missing/ })).toHaveLength(2);

    // A refresh long after the first run: both panels hear it, one run goes out.
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 60_000);
    await act(async () => {
      dashboard.publish(new RefreshEvent());
      await flush();
    });
    expect(engine.runs).toHaveLength(2);
    expect(engine.requests).toHaveLength(6);
    jest.restoreAllMocks();
  });

  it('also refreshes when the dashboard re-evaluates its time range (dashboards without RefreshEvent)', async () => {
    const engine = fakeEngine({ jsonData: CONFIG, coalesceMs: 0 });
    const eventBus = new EventBusSrv();
    const props = (to: number) =>
      ({
        options: DEFAULT_OPTIONS,
        eventBus,
        timeRange: { to: dateTime(to) },
        width: 200,
        height: 100,
        store: engine.store,
      }) as unknown as PanelProps<PanelOptions>;
    const { rerender } = render(<TelemetryTruthPanel {...props(1000)} />);
    await settle();
    await act(() => engine.finish(0, INCIDENT));
    rerender(<TelemetryTruthPanel {...props(1000)} />);
    await settle();
    expect(engine.runs).toHaveLength(1); // same range, e.g. an options change: no new probes
    rerender(<TelemetryTruthPanel {...props(31_000)} />);
    await settle();
    expect(engine.runs).toHaveLength(2);
  });

  it('stops following refreshes and cancels its run when unmounted', async () => {
    const engine = fakeEngine({ jsonData: CONFIG, coalesceMs: 0 });
    const { eventBus, unmount } = renderPanel(engine);
    await settle();
    const signal = engine.runs[0].signal!;
    unmount();
    expect(signal.aborted).toBe(true);
    eventBus.publish(new RefreshEvent());
    await flush();
    expect(engine.runs).toHaveLength(1);
  });
});
