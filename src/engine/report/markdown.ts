import { CellResult, Report, ServiceResult, Signal } from '../model';
import { VERDICT_INFO } from '../verdicts';
import { buildExploreUrl } from '../links/explore';
import {
  absoluteLink,
  countedServices,
  datasourceOf,
  displayQuery,
  escapeMarkdown,
  fencedCode,
  formatAge,
  formatCounts,
  formatDuration,
  formatFreshness,
  MAX_QUERY_CHARS,
  notOkCount,
  QUERY_LANGUAGE,
  safeLinkUrl,
  shortAge,
  signalsOf,
} from './format';

export interface MarkdownOptions {
  /** Makes site-relative runbook links absolute, e.g. `https://grafana.example.com`. */
  grafanaUrl?: string;
  /**
   * Add "Open in Explore" links for failing queries. Only meaningful when the datasource uids are
   * Grafana's own (not the CLI's direct mode); needs `grafanaUrl` or a Grafana sub-path in it.
   */
  exploreLinks?: boolean;
}

const SIGNAL_TITLE: Record<Signal, string> = { metrics: 'Metrics', logs: 'Logs', traces: 'Traces' };

/**
 * A human report (the seed's "Telemetry Truth Report", but true): summary, service × signal table,
 * one section per cell that is not ok with its evidence, and the datasources. Every value that came
 * from a backend or a config file is escaped; queries sit in fenced code blocks.
 */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const out: string[] = [];
  const signals = signalsOf(report);
  const { cells, notOk } = notOkCount(report);

  out.push('# Telemetry Truth Report', '');
  const verdict = report.verdict === 'pass' ? '**PASS**' : '**FAIL**';
  const counted =
    report.mode === 'discovery'
      ? `discovery mode (no expected services): ${report.services.length} services seen`
      : `${notOk} of ${cells} expected service × signal checks not ok`;
  out.push(`${verdict}: ${counted}.`, '');
  out.push(
    `Generated ${escapeMarkdown(report.generatedAt)} by ${escapeMarkdown(report.tool.name)} ${escapeMarkdown(report.tool.version)}` +
      ` · lookback ${formatDuration(report.lookbackSeconds)} · freshness ${formatFreshness(report)}`,
    ''
  );

  out.push('## Services', '');
  if (report.services.length === 0) {
    out.push('_No services: none configured and none discovered._', '');
  } else {
    out.push(`| Service | ${signals.map((s) => SIGNAL_TITLE[s]).join(' | ')} |`);
    out.push(`|---|${signals.map(() => '---').join('|')}|`);
    for (const svc of report.services) {
      const name = escapeMarkdown(svc.name) + (svc.expected || report.mode === 'discovery' ? '' : ' _(not expected)_');
      out.push(`| ${name} | ${signals.map((s) => tableCell(svc.signals[s])).join(' | ')} |`);
    }
    out.push('');
  }

  const problems = problemCells(report);
  if (problems.length > 0) {
    out.push('## Problems', '');
    for (const { svc, signal, cell } of problems) {
      out.push(...problemSection(report, svc, signal, cell, options));
    }
  }

  out.push('## Datasources', '');
  if (report.datasources.length === 0) {
    out.push('_No Prometheus, Loki or Tempo datasource was found._', '');
  } else {
    out.push('| Datasource | Type | Signal | Status | Version | Holds | Latency | Message |');
    out.push('|---|---|---|---|---|---|---|---|');
    for (const ds of report.datasources) {
      out.push(
        `| ${escapeMarkdown(ds.name)} (\`${inlineCodeSafe(ds.uid)}\`) | ${ds.type} | ${ds.signal} | **${ds.status}** | ` +
          `${ds.version ? escapeMarkdown(ds.version) : '—'} | ${escapeMarkdown(formatCounts(ds.counts)) || '—'} | ` +
          `${ds.latencyMs === null ? '—' : `${Math.round(ds.latencyMs)} ms`} | ${escapeMarkdown(ds.message) || '—'} |`
      );
    }
    out.push('');
  }
  return out.join('\n');
}

function tableCell(cell: CellResult | undefined): string {
  if (!cell) {
    return '—';
  }
  const age = shortAge(cell);
  return `**${VERDICT_INFO[cell.status].label}**${age ? ` ${age}` : ''}${cell.clockSkew ? ' (clock skew)' : ''}`;
}

function problemCells(report: Report): Array<{ svc: ServiceResult; signal: Signal; cell: CellResult }> {
  const list: Array<{ svc: ServiceResult; signal: Signal; cell: CellResult }> = [];
  for (const svc of countedServices(report)) {
    for (const signal of ['metrics', 'logs', 'traces'] as Signal[]) {
      const cell = svc.signals[signal];
      if (cell && cell.status !== 'ok') {
        list.push({ svc, signal, cell });
      }
    }
  }
  return list;
}

/** Text for inline code: backticks cannot be escaped inside a code span, so they are replaced. */
function inlineCodeSafe(text: string): string {
  return text
    .replace(/`/g, "'")
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]/g, ' ');
}

function problemSection(
  report: Report,
  svc: ServiceResult,
  signal: Signal,
  cell: CellResult,
  options: MarkdownOptions
): string[] {
  const lines: string[] = [];
  lines.push(`### ${escapeMarkdown(svc.name)} · ${signal}: ${cell.status} (${cell.code})`, '');
  lines.push(escapeMarkdown(cell.message) || escapeMarkdown(VERDICT_INFO[cell.status].meaning), '');
  const ds = datasourceOf(report, cell);
  if (ds) {
    lines.push(`- Datasource: ${escapeMarkdown(ds.name)} (\`${inlineCodeSafe(ds.uid)}\`, ${ds.type}, ${ds.status})`);
  } else if (cell.datasourceUid) {
    lines.push(`- Datasource: \`${inlineCodeSafe(cell.datasourceUid)}\``);
  }
  lines.push(`- Window: ${escapeMarkdown(cell.window.start)} → ${escapeMarkdown(cell.window.end)}`);
  if (cell.newestAt) {
    lines.push(`- Newest datum: ${escapeMarkdown(cell.newestAt)} (${formatAge(cell)})`);
  }
  if (cell.alternativeIdentity) {
    lines.push(
      `- Found under another identity label: \`${inlineCodeSafe(cell.alternativeIdentity.label)}\` ` +
        `(datasource \`${inlineCodeSafe(cell.alternativeIdentity.datasourceUid)}\`)`
    );
  }
  const link = cell.runbook ? safeLinkUrl(absoluteLink(cell.runbook, options.grafanaUrl) ?? '') : null;
  if (link) {
    lines.push(`- Runbook: [${cell.code}](${link})`);
  } else if (cell.runbook) {
    lines.push(`- Runbook: ${escapeMarkdown(cell.runbook)}`);
  }
  // Explore links carry the whole query; a shortened one would not run, a huge one makes an unusable URL.
  if (cell.query && ds && options.exploreLinks && cell.query.length <= MAX_QUERY_CHARS) {
    const explore = safeLinkUrl(
      buildExploreUrl({
        appSubUrl: options.grafanaUrl ?? '',
        datasourceUid: ds.uid,
        datasourceType: ds.type,
        query: cell.query,
        from: cell.window.start,
        to: cell.window.end,
      })
    );
    if (explore) {
      lines.push(`- Explore: [run this query in Explore](${explore})`);
    }
  }
  if (cell.query) {
    lines.push('', 'Query:', '', fencedCode(displayQuery(cell.query), QUERY_LANGUAGE[signal]));
  }
  if (cell.perDatasource.length > 1) {
    lines.push('', '| Datasource | Status | Age | Message |', '|---|---|---|---|');
    for (const p of cell.perDatasource) {
      lines.push(
        `| ${escapeMarkdown(p.datasourceName)} | **${p.status}** | ${p.ageSeconds === null ? '—' : shortAge(p)} | ${escapeMarkdown(p.message) || '—'} |`
      );
    }
  }
  lines.push('');
  return lines;
}
