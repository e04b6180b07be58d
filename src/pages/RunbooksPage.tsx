import React, { useMemo } from 'react';
import { PluginPage } from '@grafana/runtime';

import { appPath, ROUTES } from '../engine/links/routes';
import { appSubUrl } from '../grafana/permissions';
import { runbooks } from '../runbooks';
import { RunbookList } from '../components/Runbook/RunbookList';
import { useRunbookOverrides } from '../components/Runbook/useRunbookEnvironment';

export interface RunbooksPageProps {
  /** Organisation overrides (code → URL); read from the app settings when omitted. */
  runbookUrls?: Record<string, string>;
}

/** `runbooks` — every built-in runbook, grouped by signal and by transport problem. */
export default function RunbooksPage({ runbookUrls }: RunbooksPageProps) {
  const overrides = useRunbookOverrides(runbookUrls);
  const overridden = useMemo(() => new Set(Object.keys(overrides)), [overrides]);
  const base = appSubUrl();
  return (
    <PluginPage>
      <RunbookList
        runbooks={runbooks}
        hrefFor={(code) => appPath(ROUTES.Runbook, { code }, base)}
        overridden={overridden}
      />
    </PluginPage>
  );
}
