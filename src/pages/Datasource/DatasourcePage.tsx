import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, LinkButton, LoadingPlaceholder, Stack, Text, useStyles2 } from '@grafana/ui';
import { useParams } from 'react-router-dom-v5-compat';
import { SIGNALS, type CheckConfig } from '../../engine';
import { configFromJsonData } from '../../grafana/appConfig';
import { loadAppSettings } from '../../grafana/settings';
import { useAppSettings } from '../../grafana/useAppSettings';
import { useCheckRun } from '../../grafana/useCheckRun';
import { DatasourceCards } from '../../components/DatasourceCards/DatasourceCards';
import { PendingBadge, StatusBadge } from '../../components/StatusBadge/StatusBadge';
import { testIds } from '../../components/testIds';
import { appPath, grafanaHref, ROUTES } from '../../routing/paths';
import type { TruthDeps } from '../Truth/TruthPage';

interface Props {
  fallbackJsonData?: Record<string, unknown>;
  deps?: TruthDeps;
}

/** One datasource: its probe result and, per service, what this datasource alone says. */
export function DatasourcePage({ fallbackJsonData, deps = {} }: Props) {
  const styles = useStyles2(getStyles);
  const { uid = '' } = useParams();
  const settings = useAppSettings(deps.loadSettings ?? loadAppSettings);
  const jsonData = settings.result?.ok ? settings.result.jsonData : fallbackJsonData;
  const parsed = useMemo(() => (settings.loading ? null : configFromJsonData(jsonData)), [settings.loading, jsonData]);
  // Probe only this datasource: the detail page should not load every backend again.
  const config: CheckConfig | null = parsed?.ok
    ? { ...parsed.config, datasources: { include: [uid], exclude: [] } }
    : null;
  const run = useCheckRun(config, deps);
  const ref = run.datasources.find((d) => d.uid === uid);
  const result = run.datasourceResults.find((r) => r.uid === uid);

  const rows = Object.entries(run.cells).flatMap(([service, cells]) =>
    SIGNALS.flatMap((signal) => {
      const entry = cells[signal]?.perDatasource.find((d) => d.datasourceUid === uid);
      return entry ? [{ service, signal, entry }] : [];
    })
  );

  return (
    <PluginPage pageNav={{ text: ref?.name ?? uid }}>
      <div data-testid={testIds.datasourcePage.container} className={styles.page}>
        <Stack gap={1}>
          <LinkButton href={grafanaHref(appPath(ROUTES.Truth, {}))} icon="arrow-left" variant="secondary" size="sm">
            Back to the overview
          </LinkButton>
          <Button icon="sync" size="sm" onClick={run.refresh} disabled={!config}>
            Refresh
          </Button>
        </Stack>
        {settings.loading ? (
          <LoadingPlaceholder text="Loading the app settings…" />
        ) : !ref ? (
          <Alert severity="warning" title={`No datasource with uid ${uid} is available to you`}>
            It may have been deleted, renamed, or you may not have query access to it.
          </Alert>
        ) : parsed && !parsed.ok ? (
          <Alert severity="error" title="The saved configuration is not valid">
            Fix it on the configuration page first.
          </Alert>
        ) : (
          <>
            <DatasourceCards datasources={[ref]} results={result ? [result] : []} running={run.status === 'running'} />
            {result?.seenServices && result.seenServices.length > 0 && (
              <Text element="p" color="secondary">
                Services seen: {result.seenServices.join(', ')}
              </Text>
            )}
            {result?.queries && result.queries.length > 0 && (
              <details className={styles.queries}>
                <summary>
                  {result.queries.length === 1 ? 'The query' : `The ${result.queries.length} queries`} this datasource
                  was asked, batched over all services
                </summary>
                {result.queries.map((q) => (
                  <pre key={q}>
                    <code>{q}</code>
                  </pre>
                ))}
              </details>
            )}
            {run.status === 'error' && (
              <Alert severity="error" title="The check itself failed">
                {run.error}
              </Alert>
            )}
            <table className={styles.table} aria-label={`Verdicts from ${ref.name}`}>
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Signal</th>
                  <th scope="col">Verdict</th>
                  <th scope="col">Message</th>
                  <th scope="col">Query</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ service, signal, entry }) => (
                  <tr key={`${service}-${signal}`}>
                    <td>{service}</td>
                    <td>{signal}</td>
                    <td>
                      <StatusBadge
                        verdict={entry.status}
                        cell={{ ageSeconds: entry.ageSeconds, clockSkew: false, code: entry.code }}
                      />
                    </td>
                    <td>{entry.message}</td>
                    <td>{entry.query && <code>{entry.query}</code>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {run.status === 'running' && <PendingBadge label={`Checking ${ref.name}`} />}
          </>
        )}
      </div>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  queries: css({
    summary: { cursor: 'pointer', color: theme.colors.text.secondary },
    pre: { whiteSpace: 'pre-wrap', wordBreak: 'break-all', marginTop: theme.spacing(1) },
  }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      textAlign: 'left',
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      verticalAlign: 'top',
    },
    code: { wordBreak: 'break-all' },
  }),
});
