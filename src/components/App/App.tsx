import React from 'react';
import { Navigate, Route, Routes } from 'react-router-dom-v5-compat';
import type { AppRootProps } from '@grafana/data';
import { appPath, routePatterns, ROUTES } from '../../routing/paths';
import { TruthPage } from '../../pages/Truth/TruthPage';
import { DatasourcePage } from '../../pages/Datasource/DatasourcePage';
import { ConfigurationPage } from '../../pages/Configuration/ConfigurationPage';
import RunbooksPage from '../../pages/RunbooksPage';
import RunbookPage from '../../pages/RunbookPage';

function App({ meta }: AppRootProps) {
  const jsonData = (meta.jsonData ?? {}) as Record<string, unknown>;
  return (
    <Routes>
      {routePatterns(ROUTES.Truth).map((path) => (
        <Route key={path} path={path} element={<TruthPage fallbackJsonData={jsonData} />} />
      ))}
      {routePatterns(ROUTES.Datasource).map((path) => (
        <Route key={path} path={path} element={<DatasourcePage fallbackJsonData={jsonData} />} />
      ))}
      {routePatterns(ROUTES.Runbooks).map((path) => (
        <Route key={path} path={path} element={<RunbooksPage />} />
      ))}
      {routePatterns(ROUTES.Runbook).map((path) => (
        <Route key={path} path={path} element={<RunbookPage />} />
      ))}
      {routePatterns(ROUTES.Configuration).map((path) => (
        <Route key={path} path={path} element={<ConfigurationPage fallbackJsonData={jsonData} />} />
      ))}
      {/* Anything else (the bare app URL included) lands on the overview. */}
      <Route path="*" element={<Navigate to={appPath(ROUTES.Truth, {})} replace />} />
    </Routes>
  );
}

export default App;
