import { CellResult, Report, Signal, Verdict } from '../model';
import { VERDICT_INFO, VerdictInfo } from '../verdicts';
import {
  absoluteLink,
  countedServices,
  datasourceOf,
  displayQuery,
  formatAge,
  formatCounts,
  formatDuration,
  formatFreshness,
  notOkCount,
  shortAge,
  signalsOf,
  stripControl,
} from './format';

export interface TextOptions {
  /** ANSI colour; the caller decides (TTY, NO_COLOR, TERM=dumb, --no-color, FORCE_COLOR). */
  color: boolean;
  /** Makes site-relative runbook links absolute. */
  grafanaUrl?: string;
  /** A closing line pointing at `telemetry-truth explain <CODE>` (the CLI's offline runbooks). */
  explainHint?: boolean;
}

const ANSI: Record<VerdictInfo['color'], string> = {
  green: '32',
  orange: '33',
  red: '31',
  purple: '35',
  blue: '34',
  gray: '90',
};

/**
 * Terminal report: summary line, service × signal grid, one block per problem with its evidence,
 * then the datasources. The verdict word is always printed (colour is never the only signal), and
 * control characters from backends are made visible so they cannot drive the terminal.
 */
export function renderText(report: Report, options: TextOptions): string {
  const paint = (verdict: Verdict, text: string) =>
    options.color ? `\u001b[${ANSI[VERDICT_INFO[verdict].color]}m${text}\u001b[0m` : text;
  const bold = (text: string) => (options.color ? `\u001b[1m${text}\u001b[0m` : text);
  const clean = (text: string) => stripControl(text);
  const out: string[] = [];
  const { cells, notOk } = notOkCount(report);
  const signals = signalsOf(report);

  const verdict = report.verdict === 'pass' ? paint('ok', 'PASS') : paint('missing', 'FAIL');
  const counted =
    report.mode === 'discovery'
      ? `discovery mode, ${report.services.length} services seen`
      : `${notOk} of ${cells} expected service × signal checks not ok`;
  out.push(bold(`Telemetry Truth: ${verdict}`) + ` (${counted})`);
  out.push(
    `lookback ${formatDuration(report.lookbackSeconds)} · freshness ${formatFreshness(report)} · ${clean(report.generatedAt)}`
  );
  out.push('');

  if (report.services.length > 0) {
    const rows = report.services.map((svc) => ({
      name: clean(svc.name) + (svc.expected || report.mode === 'discovery' ? '' : ' (not expected)'),
      cells: signals.map((s) => svc.signals[s]),
    }));
    const nameWidth = Math.max(7, ...rows.map((r) => r.name.length));
    const plain = (cell: CellResult | undefined) =>
      cell ? `${cell.status}${cell.ageSeconds !== null ? ` ${shortAge(cell)}` : ''}` : '-';
    const widths = signals.map((_, i) => Math.max(signals[i].length, ...rows.map((r) => plain(r.cells[i]).length)));
    out.push(
      bold(
        ['SERVICE'.padEnd(nameWidth), ...signals.map((s, i) => s.toUpperCase().padEnd(widths[i]))].join('  ').trimEnd()
      )
    );
    for (const row of rows) {
      const parts = row.cells.map((cell, i) => {
        const text = plain(cell).padEnd(widths[i]);
        return cell ? paint(cell.status, text) : text;
      });
      out.push([row.name.padEnd(nameWidth), ...parts].join('  ').trimEnd());
    }
    out.push('');
  } else {
    out.push('No services: none configured and none discovered.', '');
  }

  const problems: string[] = [];
  for (const svc of countedServices(report)) {
    for (const signal of ['metrics', 'logs', 'traces'] as Signal[]) {
      const cell = svc.signals[signal];
      if (!cell || cell.status === 'ok') {
        continue;
      }
      problems.push(`${paint(cell.status, `✗ ${cell.status}`)} ${clean(svc.name)} ${signal} [${cell.code}]`);
      problems.push(`    ${clean(cell.message)}`);
      const ds = datasourceOf(report, cell);
      if (ds) {
        problems.push(`    datasource: ${clean(ds.name)} (${clean(ds.uid)})`);
      }
      problems.push(`    window: ${clean(cell.window.start)} .. ${clean(cell.window.end)}`);
      if (cell.newestAt) {
        problems.push(`    newest: ${clean(cell.newestAt)} (${formatAge(cell)})`);
      }
      if (cell.query) {
        problems.push(`    query: ${clean(displayQuery(cell.query))}`);
      }
      const runbook = absoluteLink(cell.runbook, options.grafanaUrl);
      if (runbook) {
        problems.push(`    runbook: ${clean(runbook)}`);
      }
    }
  }
  if (problems.length > 0) {
    out.push(bold('Problems'), ...problems);
    if (options.explainHint) {
      out.push('  (runbook offline: telemetry-truth explain <CODE>)');
    }
    out.push('');
  }

  out.push(bold('Datasources'));
  if (report.datasources.length === 0) {
    out.push('  none found (no Prometheus, Loki or Tempo datasource)');
  }
  const statusWidth = Math.max(2, ...report.datasources.map((d) => d.status.length));
  for (const ds of report.datasources) {
    const facts = [
      `${ds.type}`,
      ds.version ? `v${clean(ds.version)}` : null,
      formatCounts(ds.counts) || null,
      ds.latencyMs === null ? null : `${Math.round(ds.latencyMs)} ms`,
    ].filter((x): x is string => x !== null);
    out.push(`  ${paint(ds.status, ds.status.padEnd(statusWidth))}  ${clean(ds.name)} (${facts.join(', ')})`);
    if (ds.status !== 'ok' && ds.message) {
      out.push(`      ${clean(ds.message)}`);
    }
  }
  out.push('');
  return out.join('\n');
}
