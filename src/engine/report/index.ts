/** Report renderers shared by the CLI and the page's export. Pure: no Node, no DOM, no @grafana/*. */
export { renderJson, renderJsonChunks } from './json';
export { renderMarkdown, type MarkdownOptions } from './markdown';
export { renderJunit, type JunitOptions } from './junit';
export { renderText, type TextOptions } from './text';
export { formatAge, formatDuration } from './format';

export type ReportFormat = 'text' | 'json' | 'markdown' | 'junit';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'markdown', 'junit'];

import { Report } from '../model';
import { renderJson } from './json';
import { renderJunit } from './junit';
import { renderMarkdown } from './markdown';
import { renderText } from './text';

/** One entry point for surfaces that let the user pick a format (CLI `--format`, the page's export). */
export function renderReport(
  report: Report,
  format: ReportFormat,
  options: { grafanaUrl?: string; color?: boolean; exploreLinks?: boolean; explainHint?: boolean } = {}
): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'markdown':
      return renderMarkdown(report, options);
    case 'junit':
      return renderJunit(report, options);
    case 'text':
      return renderText(report, {
        color: options.color ?? false,
        grafanaUrl: options.grafanaUrl,
        explainHint: options.explainHint,
      });
  }
}

/** File name extension and media type per format, for downloads and `--out`. */
export const REPORT_FILE: Record<ReportFormat, { extension: string; mediaType: string }> = {
  text: { extension: 'txt', mediaType: 'text/plain' },
  json: { extension: 'json', mediaType: 'application/json' },
  markdown: { extension: 'md', mediaType: 'text/markdown' },
  junit: { extension: 'xml', mediaType: 'application/xml' },
};
