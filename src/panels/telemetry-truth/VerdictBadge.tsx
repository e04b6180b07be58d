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
  showAge: boolean;
  showCode: boolean;
  detailHref: string;
}

function isExternal(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(href);
}

/** One verdict: icon + word (+ age, + code), a link to the app's detail and one to the runbook. */
export function VerdictBadge({ service, signal, state, showContext, showAge, showCode, detailHref }: Props) {
  const styles = useStyles2(getStyles);
  const context = showContext ? (
    <span className={styles.context}>
      {service} · {signal}
    </span>
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
  const label = [`${service} ${signal}: ${cell.status}`, age, cell.status !== 'ok' || showCode ? cell.code : null]
    .filter(Boolean)
    .join(', ');
  const runbook = cell.status !== 'ok' ? cell.runbook : null;
  return (
    <span className={styles.wrapper} data-testid="tt-badge" data-status={cell.status}>
      <a className={styles.badge} href={detailHref} title={cell.message} aria-label={label}>
        <span className={styles.stripe} data-color={info.color} />
        {context}
        <Icon name={toIconName(info.icon) ?? 'question-circle'} size="sm" className={styles.icon[info.color]} />
        <span className={styles.word}>{info.label}</span>
        {age && <span className={styles.secondary}>{age}</span>}
        {showCode && <span className={styles.code}>{cell.code}</span>}
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
  const stripe = css({
    alignSelf: 'stretch',
    width: theme.spacing(0.5),
    borderRadius: theme.shape.radius.default,
    flexShrink: 0,
    ...Object.fromEntries(
      COLORS.map((c) => [`&[data-color="${c}"]`, { background: theme.visualization.getColorByName(c) }])
    ),
  });
  return {
    wrapper: css({ display: 'inline-flex', alignItems: 'stretch', maxWidth: '100%' }),
    badge: css({
      display: 'inline-flex',
      alignItems: 'center',
      gap: theme.spacing(0.5),
      padding: theme.spacing(0.25, 0.75, 0.25, 0.25),
      minHeight: theme.spacing(3),
      maxWidth: '100%',
      borderRadius: theme.shape.radius.default,
      border: `1px solid ${theme.colors.border.weak}`,
      background: theme.colors.background.secondary,
      color: theme.colors.text.primary,
      fontSize: theme.typography.bodySmall.fontSize,
      lineHeight: 1.2,
      whiteSpace: 'nowrap',
      overflow: 'hidden',
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
    context: css({ color: theme.colors.text.secondary, overflow: 'hidden', textOverflow: 'ellipsis' }),
    word: css({ fontWeight: theme.typography.fontWeightMedium }),
    secondary: css({ color: theme.colors.text.secondary }),
    code: css({ color: theme.colors.text.secondary, fontFamily: theme.typography.fontFamilyMonospace }),
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
