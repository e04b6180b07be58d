/** Pure view model of the panel: which badges to show, in which state. Tested without React. */
import { SIGNALS, type CellResult, type CheckConfig, type Report, type Signal } from '../../engine/model';
import type { PanelOptions } from './options';
import type { RunSnapshot } from './sharedRun';

export type BadgeState =
  | { kind: 'cell'; cell: CellResult }
  | { kind: 'pending' }
  /** The service does not expect this signal (ExpectedService.signals). */
  | { kind: 'not-expected-signal' };

export interface PanelRow {
  service: string;
  /** false when the panel names a service the app does not expect. */
  expected: boolean;
  badges: Array<{ signal: Signal; state: BadgeState }>;
}

function cellFromReport(report: Report | null, service: string, signal: Signal): CellResult | undefined {
  return report?.services.find((s) => s.name === service && s.expected)?.signals[signal];
}

/**
 * Rows for the panel. While a run is in flight, a cell shows the new result when judged, else the
 * previous report's result, else "pending".
 */
export function buildRows(options: PanelOptions, snapshot: RunSnapshot): PanelRow[] {
  const config: CheckConfig | null = snapshot.config;
  if (!config) {
    return [];
  }
  const expected = new Map(config.services.map((s) => [s.name, s]));
  const names =
    options.serviceMode === 'chosen' && options.services.length > 0
      ? options.services
      : config.services.map((s) => s.name);
  const signals = SIGNALS.filter((s) => options.signals.includes(s));
  const inFlight = snapshot.phase === 'loading';
  return names.map((service) => {
    const spec = expected.get(service);
    if (!spec) {
      return { service, expected: false, badges: [] };
    }
    const serviceSignals = spec.signals ?? SIGNALS;
    return {
      service,
      expected: true,
      badges: signals.map((signal) => {
        if (!serviceSignals.includes(signal)) {
          return { signal, state: { kind: 'not-expected-signal' } };
        }
        const cell =
          (inFlight ? snapshot.cells[service]?.[signal] : undefined) ??
          cellFromReport(snapshot.report, service, signal);
        return { signal, state: cell ? { kind: 'cell', cell } : { kind: 'pending' } };
      }),
    };
  });
}

/** "42 s ago", "5 m ago", "3 h ago", "2 d ago"; "ahead" for a datum in the future (clock skew). */
export function formatAge(ageSeconds: number | null): string | null {
  if (ageSeconds === null || !Number.isFinite(ageSeconds)) {
    return null;
  }
  if (ageSeconds < 0) {
    return 'ahead (clock skew)';
  }
  const s = Math.round(ageSeconds);
  if (s < 60) {
    return `${s} s ago`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} m ago`;
  }
  if (s < 86400) {
    return `${Math.floor(s / 3600)} h ago`;
  }
  return `${Math.floor(s / 86400)} d ago`;
}

/** Counts and the one-line summary a narrow panel can still show ("2 failing, 3 ok", "all 5 ok"). */
export function summarize(rows: PanelRow[]): { ok: number; failing: number; pending: number; text: string | null } {
  let ok = 0;
  let failing = 0;
  let pending = 0;
  for (const row of rows) {
    for (const badge of row.badges) {
      if (badge.state.kind === 'pending') {
        pending++;
      } else if (badge.state.kind === 'cell') {
        badge.state.cell.status === 'ok' ? ok++ : failing++;
      }
    }
  }
  const parts = [
    failing > 0 ? `${failing} failing` : null,
    ok > 0 ? `${ok} ok` : null,
    pending > 0 ? `${pending} checking` : null,
  ].filter(Boolean);
  const text = parts.length === 0 ? null : failing === 0 && pending === 0 ? `all ${ok} ok` : parts.join(', ');
  return { ok, failing, pending, text };
}
