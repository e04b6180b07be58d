import React, { useEffect } from 'react';
import { of } from 'rxjs';
import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom-v5-compat';
import { AppRootProps, PluginType } from '@grafana/data';
import { testIds } from '../testIds';
import App from './App';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({
    fetch: () => of({ status: 200, data: { enabled: true, pinned: true, jsonData: { services: ['api'] } } }),
  }),
  getDataSourceSrv: () => ({ getList: () => [] }),
}));

const props = {
  basename: '/a/scanium-telemetrytruth-app',
  meta: {
    id: 'scanium-telemetrytruth-app',
    name: 'Telemetry Truth',
    type: PluginType.app,
    enabled: true,
    jsonData: {},
  },
  query: {},
  path: '',
  onNavChanged: jest.fn(),
} as unknown as AppRootProps;

let path = '';
function Where() {
  const { pathname } = useLocation();
  useEffect(() => {
    path = pathname;
  }, [pathname]);
  return null;
}

/** Grafana 11+ mounts the app under `/a/:pluginId/*`; Grafana 10.3 renders it at the top level. Both must route. */
function renderAt(url: string, nested: boolean) {
  const app = <App {...props} />;
  return render(
    <MemoryRouter initialEntries={[url]}>
      {nested ? (
        <Routes>
          <Route path="/a/:pluginId/*" element={app} />
        </Routes>
      ) : (
        app
      )}
      <Where />
    </MemoryRouter>
  );
}

describe.each([
  ['mounted under /a/:pluginId/* (Grafana 11+)', true],
  ['rendered at the top level (Grafana 10.3)', false],
])('App routes, %s', (_name, nested) => {
  it('renders the overview at /truth', async () => {
    renderAt('/a/scanium-telemetrytruth-app/truth', nested);
    expect(await screen.findByTestId(testIds.page.container)).toBeInTheDocument();
  });

  it('sends the bare app URL to the overview', async () => {
    renderAt('/a/scanium-telemetrytruth-app', nested);
    expect(await screen.findByTestId(testIds.page.container)).toBeInTheDocument();
    expect(path).toBe('/a/scanium-telemetrytruth-app/truth');
  });

  it('renders the datasource detail and says when the uid is unknown', async () => {
    renderAt('/a/scanium-telemetrytruth-app/datasource/nope', nested);
    expect(await screen.findByText('No datasource with uid nope is available to you')).toBeInTheDocument();
  });

  it('renders the runbook list and a single runbook', async () => {
    renderAt('/a/scanium-telemetrytruth-app/runbooks/TT-LOGS-MISSING', nested);
    // The code is the PluginPage title (not rendered by runtime's test fallback); the body has the sections.
    expect(await screen.findByRole('heading', { name: 'What this means' })).toBeInTheDocument();
  });

  it('renders the configuration form', async () => {
    renderAt('/a/scanium-telemetrytruth-app/configuration', nested);
    expect(await screen.findByTestId(testIds.appConfig.container)).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Service 1 name' })).toHaveValue('api');
  });
});
