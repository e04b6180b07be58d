import React, { useEffect } from 'react';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom-v5-compat';
import { buildExploreUrl } from '../../engine/links/explore';
import type { DatasourceRef } from '../../engine';
import { testIds } from '../../components/testIds';
import { cell, DS, incidentReport, report, service } from '../../test/fixtures';
import { fakeRun, type FakeRun } from '../../test/fakeRun';
import { TruthPage, type TruthDeps } from './TruthPage';

const DATASOURCES: DatasourceRef[] = [
  { uid: 'MIMIR', name: 'Mimir', type: 'prometheus' },
  { uid: 'LOKI', name: 'Loki', type: 'loki' },
  { uid: 'TEMPO', name: 'Tempo', type: 'tempo' },
];
const EXPECTING = { services: ['checkout', 'scanium-backend'] };

let run: FakeRun;
let unmountPage: () => void = () => undefined;
let locationSeen = '';
function LocationProbe() {
  const loc = useLocation();
  useEffect(() => {
    locationSeen = `${loc.pathname}${loc.search}`;
  }, [loc]);
  return null;
}

async function renderPage(
  deps: Partial<TruthDeps> = {},
  url = '/a/scanium-telemetrytruth-app/truth',
  jsonData: Record<string, unknown> = EXPECTING
) {
  const all: TruthDeps = {
    runCheck: run.runCheck,
    listDatasources: () => DATASOURCES,
    createTransport: () => ({ request: jest.fn() }),
    loadSettings: async () => ({ ok: true, jsonData, enabled: true, pinned: true }),
    saveSettings: jest.fn(async () => undefined),
    isAdmin: true,
    canExplore: true,
    ...deps,
  };
  const view = render(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route path="*" element={<TruthPage deps={all} />} />
      </Routes>
      <LocationProbe />
    </MemoryRouter>
  );
  unmountPage = view.unmount;
  await screen.findByTestId(testIds.matrix.container);
  return all;
}

function rowNames(): string[] {
  const table = screen.getByRole('table', { name: 'Services by signal' });
  return within(table)
    .getAllByRole('rowheader')
    .map((th) => th.textContent?.replace('discovered', '').trim() ?? '');
}

beforeEach(() => {
  run = fakeRun();
});

describe('TruthPage matrix', () => {
  it('shows a spinner per cell until its probe returns, then fills cells progressively', async () => {
    await renderPage();
    expect(screen.getByLabelText('Checking scanium-backend logs')).toBeInTheDocument();
    expect(run.last().config.concurrency).toBeLessThanOrEqual(5);

    act(() => run.emit({ type: 'cell', service: 'scanium-backend', signal: 'metrics', cell: cell('ok', 'metrics') }));
    const metrics = screen.getByTestId(testIds.matrix.cell('scanium-backend', 'metrics'));
    expect(metrics).toHaveTextContent('ok');
    expect(metrics).toHaveTextContent('42 s ago');
    // The other cells of the row are still pending.
    expect(screen.getByLabelText('Checking scanium-backend logs')).toBeInTheDocument();

    act(() => run.emit({ type: 'cell', service: 'scanium-backend', signal: 'logs', cell: cell('missing', 'logs') }));
    const logs = screen.getByTestId(testIds.matrix.cell('scanium-backend', 'logs'));
    expect(logs).toHaveTextContent('missing');
    expect(logs).toHaveTextContent('TT-LOGS-MISSING');
    expect(screen.queryByLabelText('Checking scanium-backend logs')).not.toBeInTheDocument();
  });

  it('puts expected services first, failing before healthy, and marks discovered ones', async () => {
    await renderPage();
    await act(async () =>
      run.finish(
        report([
          service('aaa-healthy', { metrics: 'ok', logs: 'ok', traces: 'ok' }),
          service('checkout', { metrics: 'ok', logs: 'stale', traces: 'ok' }),
          service('scanium-backend', { metrics: 'ok', logs: 'empty', traces: 'unreachable' }),
          service('alloy', { metrics: 'ok' }, false),
        ])
      )
    );
    expect(rowNames()).toEqual(['scanium-backend', 'checkout', 'aaa-healthy', 'alloy']);
    expect(within(screen.getByTestId(testIds.matrix.row('alloy'))).getByText('discovered')).toBeInTheDocument();
    expect(
      within(screen.getByTestId(testIds.matrix.row('checkout'))).queryByText('discovered')
    ).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.page.summary)).toHaveTextContent('4 services checked · 2 fully ok · 2 failing');
  });

  it('filters by name and by status', async () => {
    await renderPage();
    await act(async () => run.finish(incidentReport()));
    fireEvent.change(screen.getByLabelText('Filter services by name'), { target: { value: 'scan' } });
    expect(rowNames()).toEqual(['scanium-backend']);
    fireEvent.change(screen.getByLabelText('Filter services by name'), { target: { value: '' } });

    const status = screen.getByLabelText('Filter by status');
    fireEvent.keyDown(status, { key: 'ArrowDown' });
    const options = await screen.findAllByLabelText('Select option');
    fireEvent.click(options.find((o) => o.textContent === 'missing')!);
    expect(rowNames()).toEqual(['scanium-backend']);
  });

  it('paginates 500 services', async () => {
    await renderPage({}, undefined, { services: [] });
    const many = Array.from({ length: 500 }, (_, i) =>
      service(`svc-${String(i).padStart(3, '0')}`, { metrics: 'ok' }, false)
    );
    await act(async () => run.finish(report(many)));
    expect(rowNames()).toHaveLength(50);
    expect(screen.getByText('500 services')).toBeInTheDocument();
  });
});

describe('TruthPage drawer', () => {
  it('opens from a cell with the query, an exact Explore URL and the runbook, and deep-links', async () => {
    await renderPage();
    await act(async () => run.finish(incidentReport()));
    fireEvent.click(screen.getByTestId(testIds.matrix.cell('scanium-backend', 'logs')));
    expect(locationSeen).toBe('/a/scanium-telemetrytruth-app/truth?service=scanium-backend&signal=logs');

    const drawer = await screen.findByTestId(testIds.drawer.container);
    const c = cell('missing', 'logs');
    expect(within(drawer).getByTestId(testIds.drawer.query)).toHaveTextContent('{service_name="scanium-backend"}');
    expect(within(drawer).getByText(c.message)).toBeInTheDocument();
    expect(drawer).toHaveTextContent('Loki holds');
    expect(drawer).toHaveTextContent('labels=9, services=2');
    expect(drawer).toHaveTextContent(`${c.window.start} → ${c.window.end}`);
    expect(within(drawer).getByTestId(testIds.drawer.explore)).toHaveAttribute(
      'href',
      buildExploreUrl({
        datasourceUid: 'LOKI',
        datasourceType: 'loki',
        query: c.query!,
        from: c.window.start,
        to: c.window.end,
        orgId: 1,
      })
    );
    const runbook = within(drawer).getByTestId(testIds.drawer.runbook);
    const runbookUrl = new URL(runbook.getAttribute('href')!, 'http://grafana.local');
    expect(runbookUrl.pathname).toBe('/a/scanium-telemetrytruth-app/runbooks/TT-LOGS-MISSING');
    // The runbook page shows the failing check as its context.
    expect(Object.fromEntries(runbookUrl.searchParams)).toMatchObject({
      service: 'scanium-backend',
      signal: 'logs',
      verdict: 'missing',
      datasource: 'Loki',
      datasourceUid: 'LOKI',
      identityLabel: 'service_name',
      query: c.query,
      from: c.window.start,
      to: c.window.end,
    });
    expect(runbook).not.toHaveAttribute('target');
  });

  it('opens the drawer straight from ?service=&signal=, hides Explore without permission, opens org runbooks in a new tab', async () => {
    const withOverride = incidentReport();
    withOverride.services[1].signals.logs!.runbook = 'https://wiki.example.com/tt-logs-missing';
    await renderPage({ canExplore: false }, '/a/scanium-telemetrytruth-app/truth?service=scanium-backend&signal=logs');
    await act(async () => run.finish(withOverride));
    const drawer = await screen.findByTestId(testIds.drawer.container);
    expect(within(drawer).queryByTestId(testIds.drawer.explore)).not.toBeInTheDocument();
    expect(within(drawer).getByRole('button', { name: /copy query/i })).toBeInTheDocument();
    const runbook = within(drawer).getByTestId(testIds.drawer.runbook);
    expect(runbook).toHaveAttribute('href', 'https://wiki.example.com/tt-logs-missing');
    expect(runbook).toHaveAttribute('target', '_blank');
    expect(runbook.getAttribute('rel')).toContain('noopener');
  });

  it('never renders a javascript: runbook link', async () => {
    const evil = incidentReport();
    evil.services[1].signals.logs!.runbook = 'javascript:alert(1)';
    await renderPage({}, '/a/scanium-telemetrytruth-app/truth?service=scanium-backend&signal=logs');
    await act(async () => run.finish(evil));
    const drawer = await screen.findByTestId(testIds.drawer.container);
    expect(within(drawer).queryByTestId(testIds.drawer.runbook)).not.toBeInTheDocument();
    expect(drawer.innerHTML).not.toContain('javascript:');
  });
});

describe('TruthPage states', () => {
  it('shows datasource cards with status, version, holdings, latency and the reason when not ok', async () => {
    await renderPage();
    await act(async () => run.finish(incidentReport()));
    const mimir = screen.getByTestId(testIds.datasources.card('MIMIR'));
    expect(mimir).toHaveTextContent('v2.14.0');
    expect(mimir).toHaveTextContent('series=420, services=3');
    expect(mimir).toHaveTextContent('probe 42 ms');
    expect(screen.getByText('1 of 3 datasources could not be checked')).toBeInTheDocument();
    const tempo = screen.getByTestId(testIds.datasources.card('TEMPO'));
    expect(tempo).toHaveTextContent('unreachable');
    expect(tempo).toHaveTextContent(DS.traces.message);
  });

  it('says when every datasource is down instead of showing an empty matrix', async () => {
    await renderPage();
    const down = report([service('checkout', { metrics: 'unreachable', logs: 'denied', traces: 'unreachable' })], {
      datasources: [{ ...DS.metrics, status: 'unreachable' }, { ...DS.logs, status: 'denied' }, DS.traces],
    });
    await act(async () => run.finish(down));
    expect(screen.getByText('No datasource could be checked')).toBeInTheDocument();
  });

  it('shows the engine error with a retry that runs again', async () => {
    await renderPage();
    await act(async () => run.fail(new Error('runCheck: boom')));
    expect(screen.getByTestId(testIds.page.engineError)).toHaveTextContent('runCheck: boom');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(run.runCheck).toHaveBeenCalledTimes(2);
  });

  it('names the missing signal when there is no datasource of a type', async () => {
    await renderPage({ listDatasources: () => DATASOURCES.filter((d) => d.type !== 'tempo') });
    expect(screen.getByText('No datasource for traces')).toBeInTheDocument();
  });

  it('explains that a Viewer may not read the settings and still runs with the page settings', async () => {
    run = fakeRun();
    render(
      <MemoryRouter>
        <TruthPage
          fallbackJsonData={EXPECTING}
          deps={{
            runCheck: run.runCheck,
            listDatasources: () => DATASOURCES,
            createTransport: () => ({ request: jest.fn() }),
            loadSettings: async () => ({ ok: false, status: 403, message: 'Permission denied' }),
            isAdmin: false,
          }}
        />
      </MemoryRouter>
    );
    expect(await screen.findByText("You may not read this app's settings")).toBeInTheDocument();
    expect(run.last().config.services.map((s) => s.name)).toEqual(['checkout', 'scanium-backend']);
  });

  it('aborts the run in flight on refresh and on unmount', async () => {
    await renderPage();
    const first = run.last().signal!;
    fireEvent.click(screen.getByTestId(testIds.page.refresh));
    expect(first.aborted).toBe(true);
    expect(run.runCheck).toHaveBeenCalledTimes(2);
    const second = run.last().signal!;
    expect(second.aborted).toBe(false);
    unmountPage();
    expect(second.aborted).toBe(true);
  });
});

describe('TruthPage discovery mode', () => {
  it('lets an Admin expect a discovered service in one click and saves it into jsonData', async () => {
    const deps = await renderPage({}, undefined, { services: [], lookback: '12h', someOtherKey: true });
    expect(screen.getByText('Discovery mode: no expected services are configured')).toBeInTheDocument();
    await act(async () =>
      run.finish(report([service('checkout', { metrics: 'ok', logs: 'ok' }, false)], { mode: 'discovery' }))
    );
    await act(async () => {
      // alloy is seen by metrics and logs: either button expects it.
      fireEvent.click(screen.getAllByRole('button', { name: 'Add alloy to expected services' })[0]);
    });
    expect(deps.saveSettings).toHaveBeenCalledWith({ someOtherKey: true, services: ['alloy'], lookback: '12h' });
  });

  it('shows a Viewer what each signal sees without the add buttons', async () => {
    await renderPage({ isAdmin: false }, undefined, {});
    await act(async () => run.finish(report([], { mode: 'discovery' })));
    const discovery = screen.getByTestId(testIds.discovery.container);
    expect(within(discovery).getByText('scanium-backend')).toBeInTheDocument();
    expect(within(discovery).queryByRole('button')).not.toBeInTheDocument();
  });
});
