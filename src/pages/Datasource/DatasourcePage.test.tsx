import React from 'react';
import { act, render, screen, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom-v5-compat';
import type { DatasourceRef } from '../../engine';
import { testIds } from '../../components/testIds';
import { fakeRun } from '../../test/fakeRun';
import { incidentReport } from '../../test/fixtures';
import { DatasourcePage } from './DatasourcePage';

const DATASOURCES: DatasourceRef[] = [
  { uid: 'MIMIR', name: 'Mimir', type: 'prometheus' },
  { uid: 'LOKI', name: 'Loki', type: 'loki' },
];

it('probes only this datasource and lists what it says per service', async () => {
  const run = fakeRun();
  render(
    <MemoryRouter initialEntries={['/a/scanium-telemetrytruth-app/datasource/LOKI']}>
      <Routes>
        <Route
          path="/a/scanium-telemetrytruth-app/datasource/:uid"
          element={
            <DatasourcePage
              deps={{
                runCheck: run.runCheck,
                listDatasources: () => DATASOURCES,
                createTransport: () => ({ request: jest.fn() }),
                loadSettings: async () => ({
                  ok: true,
                  jsonData: { services: ['checkout', 'scanium-backend'] },
                  enabled: true,
                  pinned: true,
                }),
              }}
            />
          }
        />
      </Routes>
    </MemoryRouter>
  );
  await screen.findByTestId(testIds.datasources.card('LOKI'));
  expect(run.last().config.datasources).toEqual({ include: ['LOKI'], exclude: [] });
  const report = incidentReport();
  const batched = 'max by (service_name) (count_over_time({service_name=~"checkout|scanium-backend"}[1m]))';
  report.datasources.find((d) => d.uid === 'LOKI')!.queries = [batched];
  await act(async () => run.finish(report));
  const table = screen.getByRole('table', { name: 'Verdicts from Loki' });
  const rows = within(table).getAllByRole('row').slice(1);
  expect(rows.map((r) => r.textContent)).toEqual([
    expect.stringMatching(/^checkoutlogsok/),
    expect.stringMatching(/^scanium-backendlogsmissing.*TT-LOGS-MISSING/),
    expect.stringMatching(/^alloylogsok/),
  ]);
  expect(screen.getByText('Services seen: checkout, alloy')).toBeInTheDocument();
  // The batched queries that actually ran are shown once, for the datasource, not per cell.
  expect(screen.getByText(/The query this datasource was asked/)).toBeInTheDocument();
  expect(screen.getByText(batched)).toBeInTheDocument();
});
