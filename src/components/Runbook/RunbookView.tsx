import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, renderMarkdown } from '@grafana/data';
import { Alert, ClipboardButton, LinkButton, RenderUserContentAsHTML, TextLink, useStyles2 } from '@grafana/ui';

import { VERDICT_INFO } from '../../engine/verdicts';
import type { Verdict } from '../../engine/model';
import { buildExploreUrl } from '../../engine/links/explore';
import {
  fillPlaceholders,
  parseRunbook,
  QUERY_LANGUAGES,
  splitMarkdownBlocks,
  unfilledPlaceholders,
  withDefaults,
  type Runbook,
  type RunbookContext,
} from '../../runbooks';
import {
  contextBackend,
  datasourceForLanguage,
  formatAge,
  hasContext,
  safeRunbookUrl,
  type QueryDatasource,
} from './context';
import { RunbookCodeBlock } from './RunbookCodeBlock';
import { runbookTestIds } from './testIds';

export interface RunbookViewProps {
  runbook: Runbook;
  /** The failing check's context (from the URL); untrusted text, rendered only as React text. */
  context: RunbookContext;
  /** Datasources the user can query, to open Confirm queries of other signals (e.g. collector metrics). */
  datasources: readonly QueryDatasource[];
  /** The organisation's own runbook for this code (already checked to be http(s) or a path). */
  overrideUrl?: string;
  /** Grafana's sub-path for Explore links. */
  appSubUrl?: string;
  /** Whether the user may open Explore; without it queries are copyable only. */
  canExplore: boolean;
}

function isVerdict(value: string | undefined): value is Verdict {
  return value !== undefined && value in VERDICT_INFO;
}

/** A time window bound for display: ISO dates as given, epoch-ms as ISO. */
function formatTime(value: string): string {
  if (/^\d{12,14}$/.test(value)) {
    const d = new Date(Number(value));
    return Number.isNaN(d.getTime()) ? value : d.toISOString();
  }
  return value;
}

export function RunbookView({ runbook, context, datasources, overrideUrl, appSubUrl, canExplore }: RunbookViewProps) {
  const styles = useStyles2(getStyles);
  const parsed = useMemo(() => parseRunbook(runbook.markdown), [runbook.markdown]);
  const filledContext = useMemo(() => withDefaults(runbook.code, context), [runbook.code, context]);
  const from = context.from ?? 'now-24h';
  const to = context.to ?? 'now';
  const override = safeRunbookUrl(overrideUrl);

  const exploreFor = (lang: string, query: string): { url?: string; name?: string; hint?: string } => {
    if (!(lang in QUERY_LANGUAGES)) {
      return {};
    }
    if (!canExplore) {
      return { hint: 'You do not have permission to open Explore; copy the query instead.' };
    }
    const ds = datasourceForLanguage(lang, filledContext, datasources);
    if (!ds) {
      return { hint: `No ${QUERY_LANGUAGES[lang]} datasource is available to run this query.` };
    }
    return {
      url: buildExploreUrl({ appSubUrl, datasourceUid: ds.uid, datasourceType: ds.type, query, from, to }),
      name: ds.name,
    };
  };

  return (
    <div className={styles.container} data-testid={runbookTestIds.view}>
      {/* The page's only h1 (RunbookPage hides PluginPage's title), so the code and title sit with the runbook. */}
      <h1 className={styles.title}>
        <span className={styles.code}>{runbook.code}</span> {parsed.title || runbook.title}
      </h1>
      {override && (
        <Alert
          severity="info"
          title="Your organisation has its own runbook for this code"
          data-testid={runbookTestIds.override}
        >
          Your organisation&apos;s runbook:{' '}
          <TextLink href={override} external={/^https?:/i.test(override)} inline>
            {override}
          </TextLink>
        </Alert>
      )}

      {hasContext(context) && <ContextPanel context={filledContext} explore={exploreFor} />}

      {parsed.sections.map((section) => (
        <section key={section.title} className={styles.section} data-testid={runbookTestIds.section(section.title)}>
          <h2 className={styles.sectionTitle}>{section.title}</h2>
          {splitMarkdownBlocks(section.markdown).map((block, i) => {
            if (block.type === 'markdown') {
              if (!block.text.trim()) {
                return null;
              }
              // Runbook prose is bundled (trusted) Markdown without placeholders; it still goes through
              // renderMarkdown's sanitiser and DOMPurify (RenderUserContentAsHTML → textUtil.sanitize).
              return (
                <RenderUserContentAsHTML
                  key={i}
                  component="div"
                  className={`markdown-html ${styles.prose}`}
                  content={renderMarkdown(block.text)}
                />
              );
            }
            const code = fillPlaceholders(block.code, filledContext, block.lang);
            const unfilled = unfilledPlaceholders(code);
            const explore = unfilled.length === 0 ? exploreFor(block.lang, code) : {};
            return (
              <RunbookCodeBlock
                key={i}
                lang={block.lang}
                code={code}
                unfilled={unfilled}
                exploreUrl={explore.url}
                exploreDatasourceName={explore.name}
                exploreHint={explore.hint}
              />
            );
          })}
        </section>
      ))}
    </div>
  );
}

interface ContextPanelProps {
  context: RunbookContext;
  explore: (lang: string, query: string) => { url?: string; name?: string; hint?: string };
}

const LANGUAGE_OF_BACKEND = { prometheus: 'promql', loki: 'logql', tempo: 'traceql' } as const;

/** The failing check, shown above the runbook as plain React text. */
function ContextPanel({ context, explore }: ContextPanelProps) {
  const styles = useStyles2(getStyles);
  const backend = contextBackend(context);
  const queryExplore =
    context.query && backend && context.datasourceUid ? explore(LANGUAGE_OF_BACKEND[backend], context.query) : {};
  const rows: Array<[string, React.ReactNode]> = [];
  if (context.service) {
    rows.push(['Service', context.service]);
  }
  if (context.signal) {
    rows.push(['Signal', context.signal]);
  }
  if (context.verdict) {
    rows.push([
      'Verdict',
      isVerdict(context.verdict) ? `${context.verdict} — ${VERDICT_INFO[context.verdict].meaning}` : context.verdict,
    ]);
  }
  if (context.datasource || context.datasourceUid) {
    rows.push([
      'Datasource',
      <>
        {context.datasource ?? context.datasourceUid}
        {context.datasourceUid && <span className={styles.muted}> (uid {context.datasourceUid})</span>}
      </>,
    ]);
  }
  if (context.from || context.to) {
    rows.push([
      'Window',
      `${context.from ? formatTime(context.from) : '…'} → ${context.to ? formatTime(context.to) : 'now'}`,
    ]);
  }
  if (context.age) {
    rows.push(['Newest datum', formatAge(context.age)]);
  }
  if (context.alternativeLabel) {
    rows.push(['Found under label', context.alternativeLabel]);
  }
  return (
    <section className={styles.context} aria-label="Failing check" data-testid={runbookTestIds.context}>
      <h2 className={styles.sectionTitle}>Failing check</h2>
      <dl className={styles.dl}>
        {rows.map(([label, value]) => (
          <React.Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </React.Fragment>
        ))}
      </dl>
      {context.query && (
        <div>
          <div className={styles.muted}>Query that decided the verdict</div>
          <pre className={styles.query} data-testid={runbookTestIds.contextQuery}>
            <code>{context.query}</code>
          </pre>
          <div className={styles.queryActions}>
            <ClipboardButton size="sm" variant="secondary" icon="copy" getText={() => context.query ?? ''}>
              Copy query
            </ClipboardButton>
            {queryExplore.url && (
              <LinkButton
                size="sm"
                variant="secondary"
                icon="compass"
                href={queryExplore.url}
                data-testid={runbookTestIds.contextExplore}
              >
                Open in Explore
              </LinkButton>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({
    maxWidth: '980px',
  }),
  title: css({
    fontSize: theme.typography.h2.fontSize,
    marginBottom: theme.spacing(2),
  }),
  code: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    marginRight: theme.spacing(1),
  }),
  section: css({
    marginBottom: theme.spacing(3),
  }),
  sectionTitle: css({
    fontSize: theme.typography.h4.fontSize,
    marginBottom: theme.spacing(1),
  }),
  prose: css({
    'ol, ul': {
      paddingLeft: theme.spacing(3),
      marginBottom: theme.spacing(1),
    },
    li: {
      marginBottom: theme.spacing(0.5),
    },
    p: {
      marginBottom: theme.spacing(1),
    },
    code: {
      fontFamily: theme.typography.fontFamilyMonospace,
      fontSize: theme.typography.bodySmall.fontSize,
      background: theme.colors.background.secondary,
      padding: theme.spacing(0, 0.5),
      borderRadius: theme.shape.radius.default,
    },
  }),
  context: css({
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    padding: theme.spacing(2),
    marginBottom: theme.spacing(3),
  }),
  dl: css({
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    marginBottom: theme.spacing(1),
    dt: {
      color: theme.colors.text.secondary,
    },
    dd: {
      margin: 0,
      wordBreak: 'break-word',
    },
  }),
  muted: css({
    color: theme.colors.text.secondary,
  }),
  query: css({
    margin: theme.spacing(0.5, 0),
    padding: theme.spacing(1),
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    background: theme.colors.background.primary,
  }),
  queryActions: css({
    display: 'flex',
    gap: theme.spacing(1),
  }),
});
