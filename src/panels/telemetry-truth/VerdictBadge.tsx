import React from 'react';
import { css, cx } from '@emotion/css';
import { type GrafanaTheme2, toIconName } from '@grafana/data';
import { Icon, Spinner, useStyles2 } from '@grafana/ui';
import { VERDICT_INFO } from '../../engine/verdicts';
import type { Signal } from '../../engine/model';
import { formatAge, type BadgeState } from './panelModel';

interface Props {
  service: string;
  signal: Signal;
  state: BadgeState;
  /** Compact layout repeats service and signal inside the badge; the grid has them as headers. */
  showContext: boolean;
  /** With one service on the panel, the context is the signal alone (the summary names the service). */
  showService?: boolean;
  showAge: boolean;
  showCode: boolean;
  detailHref: string;
}

function isExternal(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(href);
}

/** One verdict: icon + word (+ age, + code), a link to the app's detail and one to the runbook. */
export function VerdictBadge({
  service,
  signal,
  state,
  showContext,
  showService = true,
  showAge,
  showCode,
  detailHref,
}: Props) {
  const styles = useStyles2(getStyles);
  const context = showContext ? (
    <span className={styles.context}>{showService ? `${service} ${signal}` : signal}</span>
  ) : null;

  if (state.kind === 'pending') {
    return (
      <span className={cx(styles.badge, styles.pending)} data-testid="tt-badge" data-status="pending">
        {context}
        <Spinner inline size={12} />
        <span>checking</span>
      </span>
    );
  }
  if (state.kind === 'not-expected-signal') {
    return (
      <span
        className={cx(styles.badge, styles.pending)}
        data-testid="tt-badge"
        data-status="not-expected"
        title={`${service} is not expected to send ${signal}.`}
      >
        {context}
        <span>not expected</span>
      </span>
    );
  }

  const { cell } = state;
  const info = VERDICT_INFO[cell.status];
  const age = showAge ? formatAge(cell.ageSeconds) : null;
  // Visible text (minus punctuation) is part of this name, as WCAG 2.5.3 asks; a failing verdict always
  // names its code for screen readers, even when codes are not shown.
  const label = [`${service} ${signal}: ${cell.status}`, age, cell.status !== 'ok' || showCode ? cell.code : null]
    .filter(Boolean)
    .join(', ');
  const runbook = cell.status !== 'ok' ? cell.runbook : null;
  return (
    <span className={styles.wrapper} data-testid="tt-badge" data-status={cell.status}>
      <a
        className={cx(styles.badge, styles.stripe)}
        data-color={info.color}
        href={detailHref}
        title={cell.message}
        aria-label={label}
      >
        {context}{' '}
        <Icon name={toIconName(info.icon) ?? 'question-circle'} size="sm" className={styles.icon[info.color]} />
        <span className={styles.word}>{info.label}</span>
        {/* Real spaces between the parts: assistive tech and axe read the text, not the flex gap. */}
        {age && <span className={styles.secondary}> {age}</span>}
        {showCode && <span className={styles.code}> {cell.code}</span>}
      </a>
      {runbook && (
        <a
          className={styles.runbook}
          href={runbook}
          aria-label={`Runbook for ${cell.code}`}
          title={`Runbook for ${cell.code}`}
          {...(isExternal(runbook) ? { target: '_blank', rel: 'noopener noreferrer' } : {})}
        >
          <Icon name="book" size="sm" />
        </a>
      )}
    </span>
  );
}

const COLORS = ['green', 'orange', 'red', 'purple', 'blue', 'gray'] as const;

const getStyles = (theme: GrafanaTheme2) => {
  const icon = Object.fromEntries(
    COLORS.map((c) => [c, css({ color: theme.visualization.getColorByName(c), flexShrink: 0 })])
  ) as Record<(typeof COLORS)[number], string>;
  // The verdict colour as a thick left border (the word and icon carry the meaning; colour only helps).
  const stripe = css({
    borderLeftWidth: theme.spacing(0.5),
    ...Object.fromEntries(
      COLORS.map((c) => [`&[data-color="${c}"]`, { borderLeftColor: theme.visualization.getColorByName(c) }])
    ),
  });
  return {
    wrapper: css({ display: 'inline-flex', alignItems: 'stretch', maxWidth: '100%' }),
    badge: css({
      display: 'inline-flex',
      alignItems: 'center',
      gap: theme.spacing(0.5),
      padding: theme.spacing(0.25, 0.75, 0.25, 0.5),
      minHeight: theme.spacing(3),
      maxWidth: '100%',
      borderRadius: theme.shape.radius.default,
      border: `1px solid ${theme.colors.border.weak}`,
      background: theme.colors.background.secondary,
      color: theme.colors.text.primary,
      fontSize: theme.typography.bodySmall.fontSize,
      lineHeight: 1.2,
      // In a narrow panel the parts wrap inside the badge rather than being clipped: which service and
      // signal, and the verdict, must stay readable at 200 px.
      flexWrap: 'wrap',
      rowGap: 0,
      textDecoration: 'none',
      '&:hover': {
        background: theme.colors.emphasize(theme.colors.background.secondary, 0.03),
        color: theme.colors.text.primary,
      },
      '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: 1 },
    }),
    pending: css({ color: theme.colors.text.secondary, paddingLeft: theme.spacing(0.75) }),
    stripe,
    icon,
    context: css({ color: theme.colors.text.secondary, overflowWrap: 'anywhere' }),
    word: css({ fontWeight: theme.typography.fontWeightMedium, whiteSpace: 'nowrap' }),
    secondary: css({ color: theme.colors.text.secondary, whiteSpace: 'nowrap' }),
    code: css({
      color: theme.colors.text.secondary,
      fontFamily: theme.typography.fontFamilyMonospace,
      whiteSpace: 'nowrap',
    }),
    runbook: css({
      display: 'inline-flex',
      alignItems: 'center',
      padding: theme.spacing(0, 0.5),
      marginLeft: theme.spacing(-0.25),
      color: theme.colors.text.link,
      borderRadius: theme.shape.radius.default,
      '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}` },
    }),
  };
};
