import React from 'react';
import { Text } from '@grafana/ui';
import { SIGNALS, type CheckConfig } from '../../engine';
import { humanAge } from '../../engine/duration';
import type { RunStatus } from '../../grafana/useCheckRun';
import { isFailing, type MatrixRow } from '../../components/Matrix/matrix.utils';
import { testIds } from '../../components/testIds';

interface Props {
  rows: MatrixRow[];
  status: RunStatus;
  /** Start or end of the run, epoch ms. */
  at: number | null;
  config: CheckConfig | null;
}

/** "3 services checked · 1 fully ok · 2 failing · at 02:00:00 · lookback 1 d; freshness metrics 5 m, …" */
export function SummaryLine({ rows, status, at, config }: Props) {
  const answered = rows.filter((r) => Object.keys(r.cells).length > 0);
  const failing = answered.filter(isFailing).length;
  const windows = config
    ? `lookback ${humanAge(config.lookbackSeconds)}; freshness ${SIGNALS.map((s) => `${s} ${humanAge(config.freshnessSeconds[s])}`).join(', ')}`
    : '';
  const parts = [
    `${rows.length} ${rows.length === 1 ? 'service' : 'services'} checked`,
    `${answered.length - failing} fully ok`,
    `${failing} failing`,
    status === 'running' ? 'checking…' : at ? `at ${new Date(at).toLocaleTimeString()}` : null,
    windows,
  ].filter(Boolean);
  return (
    <Text element="p" color="secondary" data-testid={testIds.page.summary}>
      <span role="status" aria-live="polite">
        {parts.join(' · ')}
      </span>
    </Text>
  );
}
