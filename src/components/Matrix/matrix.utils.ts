import { VERDICT_INFO, type CellResult, type Signal, type Verdict } from '../../engine';

export interface MatrixRow {
  name: string;
  expected: boolean;
  cells: Partial<Record<Signal, CellResult>>;
}

export type StatusFilter = 'all' | 'failing' | Verdict;

/** Worst verdict of a row (highest rank), ignoring `ok`; null when every known cell is ok. */
export function worstVerdict(row: MatrixRow): Verdict | null {
  let worst: Verdict | null = null;
  for (const c of Object.values(row.cells)) {
    if (c && c.status !== 'ok' && (worst === null || VERDICT_INFO[c.status].rank > VERDICT_INFO[worst].rank)) {
      worst = c.status;
    }
  }
  return worst;
}

export function isFailing(row: MatrixRow): boolean {
  return worstVerdict(row) !== null;
}

/** Expected services first, then discovered; within each, failing first (worst first), then by name. */
export function sortRows(rows: MatrixRow[]): MatrixRow[] {
  const score = (row: MatrixRow) => {
    const worst = worstVerdict(row);
    return worst === null ? -1 : VERDICT_INFO[worst].rank;
  };
  return [...rows].sort(
    (a, b) => Number(b.expected) - Number(a.expected) || score(b) - score(a) || a.name.localeCompare(b.name)
  );
}

export function filterRows(rows: MatrixRow[], text: string, status: StatusFilter): MatrixRow[] {
  const needle = text.trim().toLowerCase();
  return rows.filter((row) => {
    if (needle && !row.name.toLowerCase().includes(needle)) {
      return false;
    }
    if (status === 'all') {
      return true;
    }
    if (status === 'failing') {
      return isFailing(row);
    }
    return Object.values(row.cells).some((c) => c?.status === status);
  });
}

/** Rows from the expected names and whatever cells arrived so far (discovered services included). */
export function buildRows(
  expectedNames: string[],
  cells: Record<string, Partial<Record<Signal, CellResult>>>,
  expectedFromReport?: Map<string, boolean>
): MatrixRow[] {
  const expected = new Set(expectedNames);
  const names = new Set<string>([...expectedNames, ...Object.keys(cells)]);
  return [...names].map((name) => ({
    name,
    expected: expectedFromReport?.get(name) ?? expected.has(name),
    cells: cells[name] ?? {},
  }));
}
