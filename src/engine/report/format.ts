/**
 * Small pure helpers shared by the report renderers: escaping for each output language and
 * human-readable ages. Everything a backend or a config file can influence is treated as untrusted.
 */
import { CellResult, DatasourceResult, Report, Signal } from '../model';

/** "45s", "12m 5s", "3h 2m", "2d 4h". Negative ages (clock skew) are formatted by their magnitude. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.round(Math.abs(totalSeconds));
  if (s < 60) {
    return `${s}s`;
  }
  const units: Array<[string, number]> = [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = s;
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) {
      parts.push(`${n}${unit}`);
    }
  }
  // Two significant units are enough for a person deciding what to do.
  return parts
    .slice(0, 2)
    .filter((p) => !/^0[a-z]$/.test(p))
    .join(' ');
}

/** "12s ago", "3h 2m ago", "4s in the future (clock skew)", or "" when no datum was found. */
export function formatAge(cell: Pick<CellResult, 'ageSeconds' | 'clockSkew'>): string {
  if (cell.ageSeconds === null) {
    return '';
  }
  if (cell.ageSeconds < 0 || cell.clockSkew) {
    return `${formatDuration(cell.ageSeconds)} in the future (clock skew)`;
  }
  return `${formatDuration(cell.ageSeconds)} ago`;
}

/** Short age for table cells: "12s", "3h 2m", "+4s" for a datum in the future. */
export function shortAge(cell: Pick<CellResult, 'ageSeconds'>): string {
  if (cell.ageSeconds === null) {
    return '';
  }
  return cell.ageSeconds < 0 ? `+${formatDuration(cell.ageSeconds)}` : formatDuration(cell.ageSeconds);
}

/** The signals that appear in a report, in canonical order. */
export function signalsOf(report: Report): Signal[] {
  const order: Signal[] = ['metrics', 'logs', 'traces'];
  const present = new Set<Signal>();
  for (const ds of report.datasources) {
    present.add(ds.signal);
  }
  for (const svc of report.services) {
    for (const s of order) {
      if (svc.signals[s]) {
        present.add(s);
      }
    }
  }
  return order.filter((s) => present.has(s));
}

/** The datasource that decided a cell, if any. */
export function datasourceOf(report: Report, cell: CellResult): DatasourceResult | undefined {
  if (!cell.datasourceUid) {
    return undefined;
  }
  return report.datasources.find((d) => d.uid === cell.datasourceUid);
}

/** Rows that count for the verdict: expected services, or every row in discovery mode. */
export function countedServices(report: Report) {
  return report.mode === 'discovery' ? report.services : report.services.filter((s) => s.expected);
}

/** Replaces C0/C1 control characters (terminal escape injection, stray NULs) with a visible `\xNN`. */
export function stripControl(text: string, keepNewlines = false): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (keepNewlines && c === '\n') {
      return c;
    }
    if (c === '\t') {
      return ' ';
    }
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/**
 * Escapes untrusted text for inline Markdown (including GFM table cells): HTML is neutralised as
 * entities, Markdown punctuation is backslash-escaped, newlines become spaces.
 */
export function escapeMarkdown(text: string): string {
  return stripControl(text.replace(/\r?\n/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`);
}

/** A fenced code block whose fence is longer than any backtick run in the content (CommonMark). */
export function fencedCode(text: string, lang = ''): string {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${stripControl(text, true)}\n${fence}`;
}

/**
 * A URL safe to put in a Markdown link: http(s) or a site-relative path, with characters that would
 * end the link destination percent-encoded. Anything else (javascript:, data:) yields null.
 */
export function safeLinkUrl(url: string): string | null {
  const trimmed = url.trim();
  if (!/^https?:\/\//i.test(trimmed) && !/^\/(?!\/)/.test(trimmed)) {
    return null;
  }
  return trimmed.replace(
    /[\s()<>"'`\\|[\]]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`
  );
}

/** Makes a site-relative runbook link absolute when the Grafana URL is known. */
export function absoluteLink(url: string | null, grafanaUrl?: string): string | null {
  if (!url) {
    return null;
  }
  if (grafanaUrl && url.startsWith('/') && !url.startsWith('//')) {
    return `${grafanaUrl.replace(/\/+$/, '')}${url}`;
  }
  return url;
}

/** Escapes text for XML 1.0 attribute values and character data; drops characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** "metrics 5m, logs 10m, traces 15m" */
export function formatFreshness(report: Report): string {
  return (['metrics', 'logs', 'traces'] as Signal[])
    .map((s) => `${s} ${formatDuration(report.freshnessSeconds[s])}`)
    .join(', ');
}

/** "3 datasources · 2 of 9 cells not ok" style counts. */
export function notOkCount(report: Report): { cells: number; notOk: number } {
  let cells = 0;
  let notOk = 0;
  for (const svc of countedServices(report)) {
    for (const cell of Object.values(svc.signals)) {
      if (!cell) {
        continue;
      }
      cells++;
      if (cell.status !== 'ok') {
        notOk++;
      }
    }
  }
  return { cells, notOk };
}

/** Query language of a signal, used as the code-fence info string. */
export const QUERY_LANGUAGE: Record<Signal, string> = { metrics: 'promql', logs: 'logql', traces: 'traceql' };

/** "count=3, labels=12" in a stable (sorted) order. */
export function formatCounts(counts: Record<string, number>): string {
  return Object.keys(counts)
    .sort()
    .map((k) => `${k}=${counts[k]}`)
    .join(', ');
}

/** Queries longer than this are shortened in human reports (JSON keeps them whole). */
export const MAX_QUERY_CHARS = 500;

/**
 * A query as printed in text, Markdown and JUnit. Cells carry per-service queries, but a long
 * configured selector is not evidence a person reads, and repeated per cell it bloats CI reports.
 */
export function displayQuery(query: string): string {
  if (query.length <= MAX_QUERY_CHARS) {
    return query;
  }
  return `${query.slice(0, MAX_QUERY_CHARS)} … (${query.length - MAX_QUERY_CHARS} more characters; the full query is in the JSON report)`;
}
