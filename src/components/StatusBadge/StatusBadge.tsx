import React from 'react';
import { css, cx } from '@emotion/css';
import { colorManipulator, type GrafanaTheme2, type IconName } from '@grafana/data';
import { Icon, Spinner, useStyles2, useTheme2 } from '@grafana/ui';
import { VERDICT_INFO, type CellResult, type Verdict } from '../../engine';
import { humanAge } from '../../engine/duration';

interface Props {
  verdict: Verdict;
  /** The cell, for age and code. */
  cell?: Pick<CellResult, 'ageSeconds' | 'clockSkew' | 'code'>;
  showAge?: boolean;
  showCode?: boolean;
  className?: string;
}

/** Verdict chip: icon + word (+ age, + code). Colour is a hint only, never the message. */
export function StatusBadge({ verdict, cell, showAge = true, showCode = true, className }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const info = VERDICT_INFO[verdict];
  const color = theme.visualization.getColorByName(info.color);
  const age = showAge && cell ? ageText(cell) : '';
  return (
    <span
      className={cx(styles.badge, className)}
      style={{ borderColor: color, background: colorManipulator.alpha(color, 0.12) }}
      title={info.meaning}
      data-verdict={verdict}
    >
      <Icon name={info.icon as IconName} style={{ color }} aria-hidden />
      <span className={styles.word}>{info.label}</span>
      {/* Real spaces between the parts: text extraction (copy, screen readers, axe) must not glue words together. */}
      {showCode && cell && verdict !== 'ok' && (
        <>
          {' '}
          <code className={styles.code}>{cell.code}</code>
        </>
      )}
      {age && (
        <>
          {' '}
          <span className={styles.meta}>{age}</span>
        </>
      )}
    </span>
  );
}

/** "42 s ago", "3 h 2 m ago"; a datum in the future (clock skew) says so. */
export function ageText(cell: Pick<CellResult, 'ageSeconds' | 'clockSkew'>): string {
  if (cell.ageSeconds === null) {
    return '';
  }
  return cell.ageSeconds < 0 || cell.clockSkew
    ? `${humanAge(cell.ageSeconds)} in the future (clock skew)`
    : `${humanAge(cell.ageSeconds)} ago`;
}

export function PendingBadge({ label }: { label: string }) {
  const styles = useStyles2(getStyles);
  return (
    <span className={styles.pending} role="status" aria-label={label}>
      <Spinner inline />
      <span className={styles.meta}>checking…</span>
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  badge: css({
    display: 'inline-flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0.25, 0.75),
    borderLeft: '3px solid',
    borderRadius: theme.shape.radius.default,
    color: theme.colors.text.primary,
    fontSize: theme.typography.bodySmall.fontSize,
    lineHeight: theme.typography.bodySmall.lineHeight,
  }),
  word: css({ fontWeight: theme.typography.fontWeightMedium }),
  meta: css({ color: theme.colors.text.secondary }),
  code: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    color: theme.colors.text.secondary,
    background: 'none',
    padding: 0,
    border: 'none',
  }),
  pending: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5) }),
});
