import { Signal, SIGNALS, Verdict } from './model';

/** How a verdict is presented and ranked everywhere. A new verdict cannot ship without all of these. */
export interface VerdictInfo {
  /** The word itself, never translated. */
  label: Verdict;
  /** One line meaning, shown in tooltips, `--help` and reports. */
  meaning: string;
  /** Lower is better; with several datasources for one signal the lowest rank wins. */
  rank: number;
  /** Grafana theme colour name for badges (theme.visualization.getColorByName). */
  color: 'green' | 'orange' | 'red' | 'purple' | 'blue' | 'gray';
  /** Grafana icon name shown next to the word: status is never conveyed by colour alone. */
  icon: string;
  /** JUnit mapping: failures are data problems, errors are checking problems. */
  junit: 'pass' | 'failure' | 'error' | 'skipped';
}

export const VERDICT_INFO = {
  ok: { label: 'ok', meaning: 'Newest datum is within the freshness threshold.', rank: 0, color: 'green', icon: 'check-circle', junit: 'pass' },
  stale: { label: 'stale', meaning: 'Data exists in the lookback but the newest datum is older than the freshness threshold.', rank: 1, color: 'orange', icon: 'clock-nine', junit: 'failure' },
  missing: { label: 'missing', meaning: 'The datasource holds data for other services, none for this one.', rank: 2, color: 'red', icon: 'search-minus', junit: 'failure' },
  empty: { label: 'empty', meaning: 'The datasource is reachable but holds no data at all in the lookback.', rank: 3, color: 'red', icon: 'circle', junit: 'failure' },
  error: { label: 'error', meaning: 'The datasource answered, but not with a usable answer (bad shape, error status, rate limit).', rank: 4, color: 'purple', icon: 'exclamation-triangle', junit: 'error' },
  denied: { label: 'denied', meaning: 'Grafana or the backend refused the credentials (401/403, data source authentication failed).', rank: 5, color: 'purple', icon: 'lock', junit: 'error' },
  unreachable: { label: 'unreachable', meaning: 'The backend could not be reached (refused, 502/503/504, timeout).', rank: 6, color: 'purple', icon: 'plug', junit: 'error' },
  not_configured: { label: 'not_configured', meaning: 'No datasource is configured for this signal.', rank: 7, color: 'gray', icon: 'question-circle', junit: 'skipped' },
} as const satisfies Record<Verdict, VerdictInfo>;

/** The best (lowest-rank) of several verdicts; `not_configured` when there are none. */
export function bestVerdict(verdicts: Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((best, v) => (VERDICT_INFO[v].rank < VERDICT_INFO[best].rank ? v : best), 'not_configured');
}

// ---------------------------------------------------------------------------------------------
// Stable verdict codes. Each non-ok code names exactly one runbook (src/runbooks/<CODE>.md).
// ---------------------------------------------------------------------------------------------

/** Sub-cases of `error` that need different remediation. */
export type ErrorCause = 'rate_limited' | 'endpoint_missing' | 'malformed' | 'query';

const SIGNAL_CODE: Record<Signal, string> = { metrics: 'METRICS', logs: 'LOGS', traces: 'TRACES' };

/** Code for a verdict. Data verdicts are per signal; transport verdicts are per cause. */
export function verdictCode(verdict: Verdict, signal?: Signal, cause?: ErrorCause): string {
  switch (verdict) {
    case 'ok':
    case 'stale':
    case 'missing':
    case 'empty':
      // Data verdicts always belong to a signal; without one there is nothing to remediate.
      return `TT-${SIGNAL_CODE[signal ?? 'metrics']}-${verdict.toUpperCase()}`;
    case 'error':
      return cause ? `TT-ERROR-${cause.toUpperCase().replace('_', '-')}` : 'TT-ERROR';
    case 'not_configured':
      return 'TT-NOT-CONFIGURED';
    default:
      return `TT-${verdict.toUpperCase()}`;
  }
}

/** Every code the engine can emit that needs a runbook (everything but the ok codes). */
export const RUNBOOK_CODES: readonly string[] = [
  ...SIGNALS.flatMap((s) => (['stale', 'missing', 'empty'] as const).map((v) => verdictCode(v, s))),
  verdictCode('unreachable'),
  verdictCode('denied'),
  verdictCode('error'),
  verdictCode('error', undefined, 'rate_limited'),
  verdictCode('error', undefined, 'endpoint_missing'),
  verdictCode('error', undefined, 'malformed'),
  verdictCode('error', undefined, 'query'),
  verdictCode('not_configured'),
];
