import { Report } from '../src/engine/model';

/** The CLI's exit codes, documented in `--help` and docs/cli.md. */
export const EXIT = {
  /** Every expected service × signal is ok (discovery mode: no datasource failing). */
  ok: 0,
  /** Some verdict is not ok (discovery mode: a datasource is empty, unreachable, denied or in error). */
  notOk: 1,
  /** Usage or configuration error. */
  usage: 2,
  /** Grafana itself unreachable, the token rejected, or no verdicts could be produced. */
  grafana: 3,
} as const;

/**
 * Exit code for a finished report. It does not trust `report.verdict` alone: any counted cell that
 * is not ok (or, in discovery mode, any datasource that is not ok) fails the run.
 */
export function exitCodeFor(report: Report): number {
  if (report.verdict !== 'pass') {
    return EXIT.notOk;
  }
  if (report.mode === 'discovery') {
    return report.datasources.some((d) => d.status !== 'ok') ? EXIT.notOk : EXIT.ok;
  }
  for (const svc of report.services) {
    if (!svc.expected) {
      continue;
    }
    for (const cell of Object.values(svc.signals)) {
      if (cell && cell.status !== 'ok') {
        return EXIT.notOk;
      }
    }
  }
  return EXIT.ok;
}
