import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { ClipboardButton, LinkButton, useStyles2 } from '@grafana/ui';

import { runbookTestIds } from './testIds';

export interface RunbookCodeBlockProps {
  lang: string;
  /** Already filled with the context; rendered as React text, never as HTML. */
  code: string;
  /** Explore deep link for query blocks, when a datasource of the right type is known. */
  exploreUrl?: string;
  exploreDatasourceName?: string;
  /** Placeholders the context could not fill (the query is shown, but not opened in Explore). */
  unfilled: string[];
  /** Why a query block has no Explore link (no datasource, no permission). */
  exploreHint?: string;
}

export function RunbookCodeBlock({
  lang,
  code,
  exploreUrl,
  exploreDatasourceName,
  unfilled,
  exploreHint,
}: RunbookCodeBlockProps) {
  const styles = useStyles2(getStyles);
  return (
    <figure className={styles.figure} data-testid={runbookTestIds.codeBlock}>
      <figcaption className={styles.caption}>
        <span className={styles.lang}>{lang || 'text'}</span>
        <span className={styles.actions}>
          <ClipboardButton size="sm" variant="secondary" fill="text" icon="copy" getText={() => code}>
            Copy
          </ClipboardButton>
          {exploreUrl && (
            <LinkButton
              size="sm"
              variant="secondary"
              fill="outline"
              icon="compass"
              href={exploreUrl}
              tooltip={exploreDatasourceName ? `Runs on datasource ${exploreDatasourceName}` : undefined}
              data-testid={runbookTestIds.explore}
            >
              Open in Explore
            </LinkButton>
          )}
        </span>
      </figcaption>
      <pre className={styles.pre}>
        <code>{code}</code>
      </pre>
      {unfilled.length > 0 && (
        <div className={styles.hint}>Replace {unfilled.map((p) => `{{${p}}}`).join(', ')} before running this.</div>
      )}
      {!exploreUrl && exploreHint && unfilled.length === 0 && <div className={styles.hint}>{exploreHint}</div>}
    </figure>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  figure: css({
    margin: theme.spacing(1, 0, 2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
  }),
  caption: css({
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    padding: theme.spacing(0.5, 1),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  lang: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
  }),
  actions: css({
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'center',
  }),
  pre: css({
    margin: 0,
    padding: theme.spacing(1, 1.5),
    overflowX: 'auto',
    whiteSpace: 'pre',
    border: 'none',
    background: 'transparent',
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.primary,
  }),
  hint: css({
    padding: theme.spacing(0.5, 1.5, 1),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
  }),
});
