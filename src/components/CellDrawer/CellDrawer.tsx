import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, ClipboardButton, Drawer, LinkButton, Stack, Text, useStyles2 } from '@grafana/ui';
import { VERDICT_INFO, type BackendType, type CellResult, type Signal } from '../../engine';
import { buildExploreUrl } from '../../engine/links/explore';
import { withRunbookContext } from '../../engine/links/routes';
import { humanAge } from '../../engine/duration';
import { ageText, StatusBadge } from '../StatusBadge/StatusBadge';
import { testIds } from '../testIds';
import { grafanaHref } from '../../routing/paths';

export interface CellDrawerProps {
  service: string;
  signal: Signal;
  cell: CellResult;
  /** uid → type and name, to build Explore links for every datasource that answered. */
  datasourceTypes: Record<string, { type: BackendType; name: string }>;
  freshnessSeconds?: number;
  /** uid → what the datasource holds in the lookback, e.g. `series=420, services=3`. */
  holdings?: Record<string, string>;
  /** The identity label used for this service and signal, passed to the runbook as context. */
  identityLabel?: string;
  canExplore: boolean;
  appSubUrl?: string;
  orgId?: number;
  onClose: () => void;
}

/** A runbook override may point anywhere; only our own app routes stay in the tab. */
export function isInternalLink(url: string): boolean {
  return url.startsWith('/') && !url.startsWith('//');
}

/** Only http(s) and site-relative links are rendered; anything else (javascript:, data:) is dropped. */
export function safeHref(url: string | null): string | null {
  if (!url) {
    return null;
  }
  if (isInternalLink(url)) {
    return url;
  }
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}

export function CellDrawer(props: CellDrawerProps) {
  const { service, signal, cell, datasourceTypes, canExplore, onClose } = props;
  const styles = useStyles2(getStyles);
  const info = VERDICT_INFO[cell.status];
  const deciding = cell.datasourceUid ? datasourceTypes[cell.datasourceUid] : undefined;
  const runbookUrl = safeHref(cell.runbook);
  const runbook =
    runbookUrl &&
    withRunbookContext(runbookUrl, {
      service,
      signal,
      verdict: cell.status,
      datasource: deciding?.name,
      datasourceUid: cell.datasourceUid ?? undefined,
      identityLabel: props.identityLabel,
      query: cell.query ?? undefined,
      from: cell.window.start,
      to: cell.window.end,
      age: cell.ageSeconds === null ? undefined : String(cell.ageSeconds),
      alternativeLabel: cell.alternativeIdentity?.label,
    });
  const exploreFor = (uid: string | null, query: string | null) => {
    const ds = uid ? datasourceTypes[uid] : undefined;
    if (!canExplore || !ds || !query) {
      return null;
    }
    return buildExploreUrl({
      appSubUrl: props.appSubUrl,
      orgId: props.orgId,
      datasourceUid: uid!,
      datasourceType: ds.type,
      query,
      from: cell.window.start,
      to: cell.window.end,
    });
  };
  const explore = exploreFor(cell.datasourceUid, cell.query);

  return (
    <Drawer
      title={`${service} · ${signal}`}
      subtitle={<StatusBadge verdict={cell.status} cell={cell} />}
      onClose={onClose}
      size="md"
    >
      <div data-testid={testIds.drawer.container} className={styles.body}>
        <section aria-label="Verdict">
          <Text element="h3" variant="h5">
            {info.label}: {info.meaning}
          </Text>
          <p className={styles.message}>{cell.message}</p>
          {cell.alternativeIdentity && (
            <Alert severity="info" title="Found under another label">
              The name <code>{service}</code> appears under the label <code>{cell.alternativeIdentity.label}</code> in{' '}
              {datasourceTypes[cell.alternativeIdentity.datasourceUid]?.name ?? cell.alternativeIdentity.datasourceUid}.
              Set this service&apos;s {signal} identity to <code>{cell.alternativeIdentity.label}</code> in the
              configuration.
            </Alert>
          )}
        </section>

        <section aria-label="Runbook">
          {runbook ? (
            <LinkButton
              icon="book"
              href={isInternalLink(runbook) ? grafanaHref(runbook) : runbook}
              data-testid={testIds.drawer.runbook}
              {...(isInternalLink(runbook) ? {} : { target: '_blank', rel: 'noopener noreferrer' })}
            >
              {`Runbook for ${cell.code}`}
            </LinkButton>
          ) : (
            cell.status !== 'ok' && <Text color="secondary">No runbook is linked for {cell.code}.</Text>
          )}
        </section>

        <section aria-label="Evidence">
          <Text element="h3" variant="h5">
            Evidence
          </Text>
          <dl className={styles.facts}>
            <dt>Newest datum</dt>
            <dd>{cell.newestAt ? `${cell.newestAt} (${ageText(cell)})` : 'none found in the lookback window'}</dd>
            {props.freshnessSeconds !== undefined && (
              <>
                <dt>Freshness threshold</dt>
                <dd>{humanAge(props.freshnessSeconds)}</dd>
              </>
            )}
            <dt>Window searched</dt>
            <dd>
              {cell.window.start} → {cell.window.end}
            </dd>
            {cell.datasourceUid && props.holdings?.[cell.datasourceUid] && (
              <>
                <dt>{datasourceTypes[cell.datasourceUid]?.name ?? cell.datasourceUid} holds</dt>
                <dd>{props.holdings[cell.datasourceUid]}</dd>
              </>
            )}
            <dt>Code</dt>
            <dd>
              <code>{cell.code}</code>
            </dd>
          </dl>
          {cell.query ? (
            <>
              <Text element="h4" variant="bodySmall" color="secondary">
                Query that decided the verdict
              </Text>
              <pre className={styles.query} data-testid={testIds.drawer.query}>
                {cell.query}
              </pre>
              <Stack gap={1} wrap="wrap">
                <ClipboardButton icon="copy" variant="secondary" size="sm" getText={() => cell.query ?? ''}>
                  Copy query
                </ClipboardButton>
                {explore && (
                  <LinkButton
                    icon="compass"
                    size="sm"
                    variant="secondary"
                    href={explore}
                    data-testid={testIds.drawer.explore}
                  >
                    Open in Explore
                  </LinkButton>
                )}
              </Stack>
              {!canExplore && (
                <Text variant="bodySmall" color="secondary">
                  Explore needs the Editor role (datasources:explore); copy the query instead.
                </Text>
              )}
            </>
          ) : (
            <Text color="secondary">No query was run for this cell (see the datasource&apos;s status).</Text>
          )}
        </section>

        {cell.perDatasource.length > 0 && (
          <section aria-label="Per datasource">
            <Text element="h3" variant="h5">
              Per datasource
            </Text>
            <table className={styles.table}>
              <thead>
                <tr>
                  <th scope="col">Datasource</th>
                  <th scope="col">Verdict</th>
                  <th scope="col">Message</th>
                  <th scope="col">Query</th>
                </tr>
              </thead>
              <tbody>
                {cell.perDatasource.map((d) => {
                  const link = exploreFor(d.datasourceUid, d.query);
                  return (
                    <tr key={d.datasourceUid}>
                      <td>
                        {d.datasourceName} <Text color="secondary">({d.datasourceUid})</Text>
                      </td>
                      <td>
                        <StatusBadge
                          verdict={d.status}
                          cell={{ ageSeconds: d.ageSeconds, clockSkew: false, code: d.code }}
                        />
                      </td>
                      <td>{d.message}</td>
                      <td>
                        {d.query && <code className={styles.inlineQuery}>{d.query}</code>}
                        {link && (
                          <LinkButton
                            size="sm"
                            fill="text"
                            icon="compass"
                            href={link}
                            aria-label={`Open ${d.datasourceName} query in Explore`}
                          >
                            Explore
                          </LinkButton>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        )}
      </div>
    </Drawer>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  body: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(3) }),
  message: css({ margin: theme.spacing(1, 0) }),
  facts: css({
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    gap: theme.spacing(0.5, 2),
    dt: { color: theme.colors.text.secondary },
    dd: { margin: 0, wordBreak: 'break-word' },
  }),
  query: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    margin: theme.spacing(0.5, 0, 1),
  }),
  inlineQuery: css({ display: 'block', wordBreak: 'break-all', fontFamily: theme.typography.fontFamilyMonospace }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      textAlign: 'left',
      padding: theme.spacing(0.5),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      verticalAlign: 'top',
    },
  }),
});
