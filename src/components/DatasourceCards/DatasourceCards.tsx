import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Text, useStyles2 } from '@grafana/ui';
import { SIGNAL_OF_BACKEND, type DatasourceRef, type DatasourceResult } from '../../engine';
import { formatCounts } from '../../engine/report/format';
import { appPath, grafanaHref, ROUTES } from '../../routing/paths';
import { PendingBadge, StatusBadge } from '../StatusBadge/StatusBadge';
import { testIds } from '../testIds';

interface Props {
  /** Datasources the run probes (known before any answer). */
  datasources: DatasourceRef[];
  results: DatasourceResult[];
  running: boolean;
}

/** One card per datasource: status, version, holdings, probe latency and, when not ok, why. */
export function DatasourceCards({ datasources, results, running }: Props) {
  const styles = useStyles2(getStyles);
  const byUid = new Map(results.map((r) => [r.uid, r]));
  const refs = [
    ...datasources.filter((d) => !byUid.has(d.uid)).map((d) => ({ ref: d, result: undefined })),
    ...results.map((r) => ({ ref: { uid: r.uid, name: r.name, type: r.type }, result: r })),
  ];
  return (
    <ul className={styles.grid} data-testid={testIds.datasources.container} aria-label="Datasources">
      {refs.map(({ ref, result }) => (
        <li key={ref.uid} className={styles.card} data-testid={testIds.datasources.card(ref.uid)}>
          <h3 className={styles.heading}>
            <a href={grafanaHref(appPath(ROUTES.Datasource, { uid: ref.uid }))} className={styles.link}>
              {ref.name}
            </a>
          </h3>
          <div className={styles.meta}>
            {[
              ref.type,
              SIGNAL_OF_BACKEND[ref.type],
              result?.version ? `v${result.version}` : 'version unknown',
              ref.uid,
            ].join(' · ')}
          </div>
          {result ? (
            <div className={styles.description}>
              <StatusBadge verdict={result.status} cell={{ ageSeconds: null, clockSkew: false, code: result.code }} />
              <Text variant="bodySmall" color="secondary">
                {[
                  formatCounts(result.counts) || 'holdings unknown',
                  result.latencyMs !== null ? `probe ${Math.round(result.latencyMs)} ms` : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
              {result.status !== 'ok' && <span>{result.message}</span>}
            </div>
          ) : running ? (
            <PendingBadge label={`Checking ${ref.name}`} />
          ) : (
            <Text color="secondary">Not probed (excluded by the configuration).</Text>
          )}
        </li>
      ))}
    </ul>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({
    listStyle: 'none',
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))',
    gap: theme.spacing(1),
    padding: 0,
    margin: theme.spacing(1, 0),
  }),
  card: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    padding: theme.spacing(1.5, 2),
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  heading: css({ margin: 0, fontSize: theme.typography.h5.fontSize }),
  link: css({
    color: theme.colors.text.link,
    '&:hover': { textDecoration: 'underline' },
  }),
  meta: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  description: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), alignItems: 'flex-start' }),
});
