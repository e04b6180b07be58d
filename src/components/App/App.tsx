import React from 'react';
import { Route, Routes } from 'react-router-dom-v5-compat';
import { AppRootProps } from '@grafana/data';

function App(_props: AppRootProps) {
  return (
    <Routes>
      <Route path="*" element={<div>Telemetry Truth</div>} />
    </Routes>
  );
}

export default App;
