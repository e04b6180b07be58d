import React, { useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { config as grafanaConfig, RefreshEvent } from '@grafana/runtime';
import { Button, Icon, Spinner, useStyles2 } from '@grafana/ui';
import { SIGNALS } from '../../engine/model';
import { appPath, ROUTES } from '../../engine/links/routes';
import type { PanelOptions } from './options';
import { buildRows, summarize, type PanelRow } from './panelModel';
import type { RunSnapshot, SharedRunStore } from './sharedRun';
import { VerdictBadge } from './VerdictBadge';
import { getDefaultStore } from './store';

export type TelemetryTruthPanelProps = PanelProps<PanelOptions> & {
  /** Injected in tests; Grafana renders the panel with the module-wide store. */
  store?: SharedRunStore;
};

/** Follows the shared run for the visible datasources and asks for a new one on each dashboard refresh. */
function useSharedRun(
  store: SharedRunStore,
  eventBus: PanelProps['eventBus'],
  refreshedTo: number | undefined
): { snapshot: RunSnapshot | null; retry: () => void } {
  const key = useMemo(() => store.currentKey(), [store]);
  const [snapshot, setSnapshot] = useState<RunSnapshot | null>(() => store.getSnapshot(key));
  useEffect(() => {
    const unsubscribe = store.subscribe(key, setSnapshot);
    store.request(key);
    return unsubscribe;
  }, [store, key]);
  // Separate from the subscription: a new event bus must not drop (and cancel) the shared run.
  useEffect(() => {
    const refresh = eventBus.getStream(RefreshEvent).subscribe(() => store.request(key));
    return () => refresh.unsubscribe();
  }, [store, key, eventBus]);
  // Dashboards that do not deliver RefreshEvent to panels without queries still re-evaluate their time
  // range on refresh; a new end of range asks too (coalesced with the event when both arrive).
  const lastTo = useRef(refreshedTo);
  useEffect(() => {
    if (refreshedTo !== undefined && refreshedTo !== lastTo.current) {
      lastTo.current = refreshedTo;
      store.request(key);
    }
  }, [store, key, refreshedTo]);
  return { snapshot, retry: () => store.request(key, Number.POSITIVE_INFINITY) };
}

export function TelemetryTruthPanel({ options, eventBus, timeRange, width, height, store }: TelemetryTruthPanelProps) {
  const styles = useStyles2(getStyles);
  const { snapshot, retry } = useSharedRun(store ?? getDefaultStore(), eventBus, timeRange?.to?.valueOf());
  const rows = useMemo(() => (snapshot ? buildRows(options, snapshot) : []), [options, snapshot]);
  const subUrl = grafanaConfig.appSubUrl ?? '';
  const configureHref = appPath(ROUTES.Configuration, {}, subUrl);

  let body: React.ReactNode;
  if (!snapshot || (snapshot.phase === 'loading' && !snapshot.config)) {
    body = (
      <div className={styles.state} role="status">
        <Spinner inline />
        <span>Checking telemetry…</span>
      </div>
    );
  } else if (snapshot.phase === 'error' && !snapshot.report) {
    body = (
      <div className={styles.state} role="alert">
        <Icon name="exclamation-triangle" className={styles.errorIcon} />
        <span className={styles.stateText}>
          Telemetry Truth could not run: {snapshot.error}{' '}
          <Button size="sm" variant="secondary" fill="outline" onClick={retry} className={styles.retry}>
            Retry
          </Button>
        </span>
      </div>
    );
  } else if (snapshot.phase === 'invalid-config') {
    body = (
      <div className={styles.state} role="alert">
        <Icon name="exclamation-triangle" className={styles.errorIcon} />
        <span className={styles.stateText}>
          The app&apos;s configuration is invalid ({snapshot.configErrors[0] ?? 'unknown problem'}).{' '}
          <a className={styles.link} href={configureHref}>
            Fix the configuration
          </a>
        </span>
      </div>
    );
  } else if (snapshot.phase === 'no-services') {
    body = (
      <div className={styles.state} role="status">
        <Icon name="info-circle" />
        <span className={styles.stateText}>
          No expected services are configured.{' '}
          <a className={styles.link} href={configureHref}>
            Add services
          </a>
        </span>
      </div>
    );
  } else {
    body = <Rows rows={rows} options={options} subUrl={subUrl} configureHref={configureHref} />;
  }

  const summary = summarize(rows);
  const expectedRows = rows.filter((r) => r.expected);
  // One service on the panel: name it once here; the compact badges then show only the signal.
  const singleService = expectedRows.length === 1 && options.layout === 'compact' ? expectedRows[0].service : null;
  const refreshing = snapshot?.phase === 'loading' && snapshot.config !== null;
  const lateError = snapshot?.phase === 'error' && snapshot.report ? snapshot.error : null;
  return (
    <div className={styles.root} style={{ width, height }} data-testid="tt-panel">
      {(refreshing || lateError || rows.length > 0) && (
        <div className={styles.summary} aria-live="polite">
          {summary.text && (
            <span>
              {singleService ? `${singleService}: ` : ''}
              {summary.text}
            </span>
          )}
          {refreshing && <Spinner inline size={12} aria-label="Refreshing" />}
          {lateError && <span title={lateError}>last refresh failed</span>}
        </div>
      )}
      {body}
    </div>
  );
}

function Rows({
  rows,
  options,
  subUrl,
  configureHref,
}: {
  rows: PanelRow[];
  options: PanelOptions;
  subUrl: string;
  configureHref: string;
}) {
  const styles = useStyles2(getStyles);
  const unknown = rows.filter((r) => !r.expected).map((r) => r.service);
  const known = rows.filter((r) => r.expected);
  const signals = SIGNALS.filter((s) => options.signals.includes(s));
  const badge = (row: PanelRow, b: PanelRow['badges'][number], showContext: boolean) => (
    <VerdictBadge
      key={`${row.service}/${b.signal}`}
      service={row.service}
      signal={b.signal}
      state={b.state}
      showContext={showContext}
      showService={known.length > 1}
      showAge={options.showAges}
      showCode={options.showCodes}
      detailHref={appPath(ROUTES.Truth, { service: row.service, signal: b.signal }, subUrl)}
    />
  );
  return (
    <>
      {options.layout === 'grid' ? (
        <table className={styles.grid}>
          <thead>
            <tr>
              <th scope="col">Service</th>
              {signals.map((s) => (
                <th scope="col" key={s}>
                  {s}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {known.map((row) => (
              <tr key={row.service}>
                <th scope="row">{row.service}</th>
                {row.badges.map((b) => (
                  <td key={b.signal}>{badge(row, b, false)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <div className={styles.compact}>
          {known.flatMap((row) =>
            row.badges.filter((b) => b.state.kind !== 'not-expected-signal').map((b) => badge(row, b, true))
          )}
        </div>
      )}
      {unknown.length > 0 && (
        <div className={styles.note}>
          Not expected by the app: {unknown.join(', ')}.{' '}
          <a className={styles.link} href={configureHref}>
            Add them
          </a>
        </div>
      )}
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    overflow: 'auto',
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  summary: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    color: theme.colors.text.secondary,
  }),
  // Icon beside the text, text wrapping under itself: readable in a 200×100 panel.
  state: css({
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
    color: theme.colors.text.secondary,
    '& > svg, & > div': { flexShrink: 0, marginTop: 1 },
  }),
  stateText: css({ minWidth: 0, overflowWrap: 'anywhere' }),
  retry: css({ marginTop: theme.spacing(0.5) }),
  errorIcon: css({ color: theme.colors.error.text }),
  link: css({ color: theme.colors.text.link, textDecoration: 'underline' }),
  compact: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) }),
  grid: css({
    borderCollapse: 'collapse',
    'th, td': { padding: theme.spacing(0.25, 0.5), textAlign: 'left', verticalAlign: 'middle' },
    'thead th': { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
    'tbody th': { fontWeight: theme.typography.fontWeightMedium, whiteSpace: 'nowrap' },
  }),
  note: css({ color: theme.colors.text.secondary }),
});
