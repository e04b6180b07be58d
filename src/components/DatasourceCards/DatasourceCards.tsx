import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Card, Text, useStyles2 } from '@grafana/ui';
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
        <li key={ref.uid} className={styles.item} data-testid={testIds.datasources.card(ref.uid)}>
          <Card href={grafanaHref(appPath(ROUTES.Datasource, { uid: ref.uid }))}>
            <Card.Heading>{ref.name}</Card.Heading>
            <Card.Meta>
              {[
                ref.type,
                SIGNAL_OF_BACKEND[ref.type],
                result?.version ? `v${result.version}` : 'version unknown',
                ref.uid,
              ]}
            </Card.Meta>
            <Card.Description>
              {result ? (
                <span className={styles.description}>
                  <StatusBadge
                    verdict={result.status}
                    cell={{ ageSeconds: null, clockSkew: false, code: result.code }}
                  />
                  <Text variant="bodySmall" color="secondary">
                    {[
                      formatCounts(result.counts) || 'holdings unknown',
                      result.latencyMs !== null ? `probe ${Math.round(result.latencyMs)} ms` : null,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </Text>
                  {result.status !== 'ok' && <span>{result.message}</span>}
                </span>
              ) : running ? (
                <PendingBadge label={`Checking ${ref.name}`} />
              ) : (
                <Text color="secondary">Not probed (excluded by the configuration).</Text>
              )}
            </Card.Description>
          </Card>
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
  item: css({ '& > *': { height: '100%', marginBottom: 0 } }),
  description: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), alignItems: 'flex-start' }),
});
