import React, { useMemo } from 'react';
import { useLocation, useParams } from 'react-router-dom-v5-compat';
import { PluginPage } from '@grafana/runtime';
import { Alert, LinkButton } from '@grafana/ui';

import { appPath, ROUTES } from '../engine/links/routes';
import { appSubUrl, canExplore as userCanExplore } from '../grafana/permissions';
import { getRunbook } from '../runbooks';
import { contextFromSearch, type QueryDatasource } from '../components/Runbook/context';
import { RunbookView } from '../components/Runbook/RunbookView';
import { runbookTestIds } from '../components/Runbook/testIds';
import { listQueryDatasources, useRunbookOverrides } from '../components/Runbook/useRunbookEnvironment';

export interface RunbookPageProps {
  /** Organisation overrides (code → URL); read from the app settings when omitted. */
  runbookUrls?: Record<string, string>;
  /** Datasources for "Open in Explore"; Grafana's list when omitted. */
  datasources?: QueryDatasource[];
  /** Whether the user may open Explore; from the user's permissions when omitted. */
  canExplore?: boolean;
}

/** The view renders the code and title as the page's h1 (also where tests and the harness look for it). */
const noTitle = () => null;

/** `runbooks/:code` — one runbook, with the failing check's context from the query string. */
export default function RunbookPage({ runbookUrls, datasources, canExplore }: RunbookPageProps) {
  const { code = '' } = useParams<{ code: string }>();
  const location = useLocation();
  const context = useMemo(() => contextFromSearch(location.search), [location.search]);
  const overrides = useRunbookOverrides(runbookUrls);
  const queryDatasources = useMemo(() => datasources ?? listQueryDatasources(), [datasources]);
  const explore = useMemo(() => canExplore ?? userCanExplore(), [canExplore]);
  const runbook = getRunbook(code);
  const subUrl = appSubUrl();
  const listHref = appPath(ROUTES.Runbooks, {}, subUrl);

  if (!runbook) {
    return (
      <PluginPage pageNav={{ text: 'Unknown runbook', parentItem: { text: 'Runbooks', url: listHref } }}>
        <Alert severity="warning" title="No runbook for this code" data-testid={runbookTestIds.unknown}>
          <p>There is no built-in runbook for the code &quot;{code}&quot;.</p>
          <LinkButton href={listHref} variant="secondary" icon="book">
            See all runbooks
          </LinkButton>
        </Alert>
      </PluginPage>
    );
  }

  return (
    <PluginPage pageNav={{ text: runbook.code, parentItem: { text: 'Runbooks', url: listHref } }} renderTitle={noTitle}>
      <RunbookView
        runbook={runbook}
        context={context}
        datasources={queryDatasources}
        overrideUrl={overrides[runbook.code]}
        appSubUrl={subUrl}
        canExplore={explore}
      />
    </PluginPage>
  );
}
