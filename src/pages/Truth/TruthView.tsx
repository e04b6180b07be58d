import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { config as grafanaConfig } from '@grafana/runtime';
import { Alert, Button, LinkButton, RadioButtonGroup, Stack, Text, useStyles2 } from '@grafana/ui';
import { useSearchParams } from 'react-router-dom-v5-compat';
import { SIGNALS, SIGNAL_OF_BACKEND, type BackendType, type CheckConfig, type Signal } from '../../engine';
import { formatCounts } from '../../engine/report/format';
import { appPath, grafanaHref, ROUTES } from '../../routing/paths';
import { jsonDataFor, withExpectedService } from '../../grafana/appConfig';
import { appSubUrl, canExplore as userCanExplore } from '../../grafana/permissions';
import { useCheckRun, type AutoRefresh } from '../../grafana/useCheckRun';
import { CellDrawer } from '../../components/CellDrawer/CellDrawer';
import { DatasourceCards } from '../../components/DatasourceCards/DatasourceCards';
import { DiscoveryView } from '../../components/Discovery/DiscoveryView';
import { ExportBar } from '../../components/Export/ExportBar';
import { Matrix } from '../../components/Matrix/Matrix';
import { buildRows } from '../../components/Matrix/matrix.utils';
import { testIds } from '../../components/testIds';
import { SummaryLine } from './SummaryLine';
import type { TruthDeps } from './TruthPage';

const AUTO_REFRESH_OPTIONS: Array<{ label: string; value: AutoRefresh }> = [
  { label: 'Off', value: 'off' },
  { label: '30s', value: '30s' },
  { label: '1m', value: '1m' },
  { label: '5m', value: '5m' },
];

const BACKEND_OF_SIGNAL: Record<Signal, BackendType> = { metrics: 'prometheus', logs: 'loki', traces: 'tempo' };
const SIGNAL_NAMES: Record<Signal, string> = { metrics: 'Prometheus or Mimir', logs: 'Loki', traces: 'Tempo' };

interface Props {
  config: CheckConfig | null;
  jsonData: Record<string, unknown>;
  deps: TruthDeps;
  isAdmin: boolean;
  save: (jsonData: Record<string, unknown>) => Promise<void>;
}

/** The label that identifies `service` in `signal` (its override, else the global one); undefined for selectors. */
function identityLabel(config: CheckConfig | null, service: string, signal: Signal): string | undefined {
  const spec = config?.services.find((s) => s.name === service)?.identity?.[signal] ?? config?.identity[signal];
  return spec && 'label' in spec ? spec.label : undefined;
}

function grafanaUrl(): string {
  const origin = typeof window !== 'undefined' ? window.location.origin : '';
  return `${origin}${appSubUrl()}`;
}

export function TruthView({ config, jsonData, deps, isAdmin, save }: Props) {
  const styles = useStyles2(getStyles);
  const run = useCheckRun(config, deps);
  const [params, setParams] = useSearchParams();
  const explore = deps.canExplore ?? userCanExplore();

  const expectedNames = useMemo(() => config?.services.map((s) => s.name) ?? [], [config]);
  const rows = useMemo(() => {
    const fromReport = run.report ? new Map(run.report.services.map((s) => [s.name, s.expected])) : undefined;
    return buildRows(expectedNames, run.cells, fromReport);
  }, [expectedNames, run.cells, run.report]);

  const datasourceTypes = useMemo(() => {
    const map: Record<string, { type: BackendType; name: string }> = {};
    run.datasources.forEach((d) => (map[d.uid] = { type: d.type, name: d.name }));
    run.datasourceResults.forEach((d) => (map[d.uid] = { type: d.type, name: d.name }));
    return map;
  }, [run.datasources, run.datasourceResults]);

  const missingSignals = SIGNALS.filter((s) => !run.datasources.some((d) => SIGNAL_OF_BACKEND[d.type] === s));
  const done = run.status === 'done';
  const allDown =
    done &&
    run.datasourceResults.length > 0 &&
    run.datasourceResults.every((r) => ['unreachable', 'denied', 'error'].includes(r.status));
  const unchecked = run.datasourceResults.filter((r) => ['unreachable', 'denied', 'error'].includes(r.status));
  const discovery = (config?.services.length ?? 0) === 0;

  const selService = params.get('service');
  const selSignal = params.get('signal') as Signal | null;
  const selected =
    selService && selSignal && SIGNALS.includes(selSignal) ? run.cells[selService]?.[selSignal] : undefined;
  const select = (service: string, signal: Signal) => setParams({ service, signal });
  const closeDrawer = () => setParams({});

  return (
    <div className={styles.page}>
      <Stack justifyContent="space-between" alignItems="center" wrap="wrap" gap={1}>
        <SummaryLine rows={rows} status={run.status} at={run.finishedAt ?? run.startedAt} config={config} />
        <Stack gap={1} alignItems="center">
          <RadioButtonGroup
            aria-label="Auto refresh"
            size="sm"
            options={AUTO_REFRESH_OPTIONS}
            value={run.autoRefresh}
            onChange={run.setAutoRefresh}
          />
          <Button icon="sync" size="sm" onClick={run.refresh} data-testid={testIds.page.refresh} disabled={!config}>
            {run.status === 'running' ? 'Restart check' : 'Refresh'}
          </Button>
        </Stack>
      </Stack>

      {run.datasources.length === 0 ? (
        <Alert severity="warning" title="No Prometheus, Loki or Tempo datasource is available to you">
          Telemetry Truth checks the datasources you may query. Add one under Connections, or ask an admin for query
          access.{' '}
          <LinkButton href={`${appSubUrl()}/connections/datasources/new`} variant="secondary" size="sm" icon="plus">
            Add a datasource
          </LinkButton>
        </Alert>
      ) : (
        missingSignals.length > 0 && (
          <Alert severity="info" title={`No datasource for ${missingSignals.join(' and ')}`}>
            {missingSignals
              .map((s) => `${s} needs a ${SIGNAL_NAMES[s]} datasource (type ${BACKEND_OF_SIGNAL[s]})`)
              .join('; ')}
            : those cells show <code>not_configured</code>.{' '}
            <LinkButton href={`${appSubUrl()}/connections/datasources/new`} variant="secondary" size="sm">
              Add a datasource
            </LinkButton>
          </Alert>
        )
      )}

      {run.status === 'error' && (
        <Alert severity="error" title="The check itself failed" data-testid={testIds.page.engineError}>
          {run.error} This is a problem in Telemetry Truth, not in your telemetry.{' '}
          <Button size="sm" variant="secondary" onClick={run.refresh}>
            Try again
          </Button>
        </Alert>
      )}

      {allDown && (
        <Alert severity="error" title="No datasource could be checked">
          Every datasource was unreachable, refused the credentials, or answered with an error, so no service verdict is
          about your telemetry. Open a datasource card below for the reason, then test it under Connections.{' '}
          <LinkButton href={`${appSubUrl()}/connections/datasources`} variant="secondary" size="sm">
            Open datasources
          </LinkButton>
        </Alert>
      )}

      {!allDown && unchecked.length > 0 && (
        <Alert
          severity="warning"
          title={`${unchecked.length} of ${run.datasourceResults.length} datasources could not be checked`}
        >
          {unchecked.map((r) => `${r.name}: ${r.status} (${r.code})`).join('; ')}. Their cells show why; the datasource
          cards below have the details.
        </Alert>
      )}

      {discovery && (
        <Alert severity="info" title="Discovery mode: no expected services are configured">
          Below is what each datasource sees. {isAdmin ? 'Expect a service to check it on every run.' : ''}
          {isAdmin && (
            <>
              {' '}
              <LinkButton
                href={grafanaHref(appPath(ROUTES.Configuration, {}))}
                size="sm"
                variant="secondary"
                icon="cog"
              >
                Configure
              </LinkButton>
            </>
          )}
        </Alert>
      )}

      <section aria-label="Service matrix">
        <Matrix rows={rows} running={run.status === 'running'} onSelect={select} initialFilter="" />
      </section>

      {discovery && config && (
        <DiscoveryView
          results={run.datasourceResults}
          expected={expectedNames}
          isAdmin={isAdmin}
          running={run.status === 'running'}
          onAdd={(name) => save(jsonDataFor(withExpectedService(config, name), jsonData))}
        />
      )}

      <section aria-label="Datasources">
        <Text element="h2" variant="h4">
          Datasources
        </Text>
        <DatasourceCards
          datasources={run.datasources}
          results={run.datasourceResults}
          running={run.status === 'running'}
        />
      </section>

      <section aria-label="Export">
        <Text element="h2" variant="h4">
          Export
        </Text>
        <ExportBar report={run.report} config={config} grafanaUrl={grafanaUrl()} />
      </section>

      {selService && selSignal && selected && (
        <CellDrawer
          service={selService}
          signal={selSignal}
          cell={selected}
          datasourceTypes={datasourceTypes}
          freshnessSeconds={config?.freshnessSeconds[selSignal]}
          identityLabel={identityLabel(config, selService, selSignal)}
          holdings={Object.fromEntries(run.datasourceResults.map((r) => [r.uid, formatCounts(r.counts)]))}
          canExplore={explore}
          appSubUrl={appSubUrl()}
          orgId={grafanaConfig.bootData?.user?.orgId}
          onClose={closeDrawer}
        />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
});
