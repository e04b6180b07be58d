import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { Badge, FilterInput, Pagination, Select, Stack, Text, useStyles2 } from '@grafana/ui';
import { SIGNALS, VERDICTS, type CellResult, type Signal } from '../../engine';
import { ageText, PendingBadge, StatusBadge } from '../StatusBadge/StatusBadge';
import { testIds } from '../testIds';
import { filterRows, sortRows, type MatrixRow, type StatusFilter } from './matrix.utils';

export const PAGE_SIZE = 50;

/**
 * `<service> <signal>: <verdict> <code>. <age>. Show details` — the visible words (verdict, code, age) appear
 * in the same order as on screen, so the accessible name contains the label (WCAG 2.5.3). No parentheses: axe
 * drops parenthesised text when it compares the name with the visible text.
 */
export function cellLabel(service: string, signal: Signal, cell: CellResult): string {
  const age = ageText(cell);
  return `${service} ${signal}: ${cell.status}${cell.status === 'ok' ? '' : ` ${cell.code}`}.${age ? ` ${age}.` : ''} Show details`;
}

interface Props {
  rows: MatrixRow[];
  /** While true, cells without a result show a spinner. */
  running: boolean;
  onSelect: (service: string, signal: Signal) => void;
  /** Initial name filter (e.g. from `?service=`). */
  initialFilter?: string;
}

const STATUS_OPTIONS: Array<SelectableValue<StatusFilter>> = [
  { label: 'All statuses', value: 'all' },
  { label: 'Failing (not ok)', value: 'failing' },
  ...VERDICTS.map((v) => ({ label: v, value: v })),
];

/** Service × signal matrix: failing first, filterable, paginated so 500+ services stay usable. */
export function Matrix({ rows, running, onSelect, initialFilter = '' }: Props) {
  const styles = useStyles2(getStyles);
  const [text, setText] = useState(initialFilter);
  const [status, setStatus] = useState<StatusFilter>('all');
  const [page, setPage] = useState(1);

  const visible = useMemo(() => filterRows(sortRows(rows), text, status), [rows, text, status]);
  const pages = Math.max(1, Math.ceil(visible.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  const pageRows = visible.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);

  return (
    <div data-testid={testIds.matrix.container}>
      <Stack gap={1} alignItems="center" wrap="wrap">
        <div className={styles.filter}>
          <FilterInput
            width={40}
            placeholder="Filter services by name"
            aria-label="Filter services by name"
            data-testid={testIds.matrix.nameFilter}
            value={text}
            onChange={(v) => {
              setText(v);
              setPage(1);
            }}
          />
        </div>
        <div className={styles.status}>
          <Select
            aria-label="Filter by status"
            inputId="tt-status-filter"
            options={STATUS_OPTIONS}
            value={status}
            onChange={(v) => {
              setStatus(v.value ?? 'all');
              setPage(1);
            }}
          />
        </div>
        <Text color="secondary" variant="bodySmall">
          {visible.length === rows.length
            ? `${rows.length} ${rows.length === 1 ? 'service' : 'services'}`
            : `${visible.length} of ${rows.length} services`}
        </Text>
      </Stack>
      <table className={styles.table} aria-label="Services by signal">
        <thead>
          <tr>
            <th scope="col">Service</th>
            {SIGNALS.map((s) => (
              <th scope="col" key={s}>
                {s}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {pageRows.length === 0 && (
            <tr>
              <td colSpan={SIGNALS.length + 1}>
                <Text color="secondary">No service matches the filter.</Text>
              </td>
            </tr>
          )}
          {pageRows.map((row) => (
            <tr key={row.name} data-testid={testIds.matrix.row(row.name)}>
              <th scope="row" className={styles.name}>
                <span>{row.name}</span>
                {!row.expected && (
                  <Badge text="discovered" color="blue" tooltip="Found by discovery, not in the expected list" />
                )}
              </th>
              {SIGNALS.map((signal) => {
                const cell = row.cells[signal];
                return (
                  <td key={signal}>
                    {cell ? (
                      <button
                        type="button"
                        className={styles.cellButton}
                        onClick={() => onSelect(row.name, signal)}
                        aria-label={cellLabel(row.name, signal, cell)}
                        data-testid={testIds.matrix.cell(row.name, signal)}
                      >
                        <StatusBadge verdict={cell.status} cell={cell} />
                      </button>
                    ) : running ? (
                      <PendingBadge label={`Checking ${row.name} ${signal}`} />
                    ) : (
                      <Text color="secondary" variant="bodySmall">
                        not checked
                      </Text>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <Pagination currentPage={current} numberOfPages={pages} onNavigate={setPage} hideWhenSinglePage />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  // Grafana sets border-box globally; saying it here keeps the input inside its box in any host.
  filter: css({ maxWidth: '100%', '& *': { boxSizing: 'border-box' } }),
  status: css({ width: 200 }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    margin: theme.spacing(1, 0),
    'th, td': {
      textAlign: 'left',
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      verticalAlign: 'middle',
    },
    'thead th': { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  name: css({
    fontWeight: theme.typography.fontWeightRegular,
    wordBreak: 'break-all',
    '& > span': { marginRight: theme.spacing(1) },
  }),
  cellButton: css({
    background: 'none',
    border: 'none',
    padding: 0,
    cursor: 'pointer',
    textAlign: 'left',
    borderRadius: theme.shape.radius.default,
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: 2 },
    '&:hover span[data-verdict]': { boxShadow: theme.shadows.z1 },
  }),
});
