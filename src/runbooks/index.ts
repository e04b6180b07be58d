/**
 * The built-in runbooks: one Markdown file per verdict code (see RUNBOOK_CODES in src/engine/verdicts.ts).
 * Pure TypeScript: the page, the panel and the CLI (`telemetry-truth explain <code>`) all import this file, so
 * no React, no @grafana/*, no Node built-ins here. The .md files are bundled as strings (webpack `asset/source`,
 * jest `jest/markdown-transform.js`, esbuild `--loader:.md=text`).
 */
import type { BackendType, Signal } from '../engine/model';

import TT_METRICS_STALE from './TT-METRICS-STALE.md';
import TT_METRICS_MISSING from './TT-METRICS-MISSING.md';
import TT_METRICS_EMPTY from './TT-METRICS-EMPTY.md';
import TT_LOGS_STALE from './TT-LOGS-STALE.md';
import TT_LOGS_MISSING from './TT-LOGS-MISSING.md';
import TT_LOGS_EMPTY from './TT-LOGS-EMPTY.md';
import TT_TRACES_STALE from './TT-TRACES-STALE.md';
import TT_TRACES_MISSING from './TT-TRACES-MISSING.md';
import TT_TRACES_EMPTY from './TT-TRACES-EMPTY.md';
import TT_UNREACHABLE from './TT-UNREACHABLE.md';
import TT_DENIED from './TT-DENIED.md';
import TT_ERROR from './TT-ERROR.md';
import TT_ERROR_RATE_LIMITED from './TT-ERROR-RATE-LIMITED.md';
import TT_ERROR_ENDPOINT_MISSING from './TT-ERROR-ENDPOINT-MISSING.md';
import TT_ERROR_MALFORMED from './TT-ERROR-MALFORMED.md';
import TT_ERROR_QUERY from './TT-ERROR-QUERY.md';
import TT_NOT_CONFIGURED from './TT-NOT-CONFIGURED.md';

/** Every shipped runbook file by code. The lint test checks this matches RUNBOOK_CODES and the directory. */
export const RUNBOOK_FILES: Readonly<Record<string, string>> = {
  'TT-METRICS-STALE': TT_METRICS_STALE,
  'TT-METRICS-MISSING': TT_METRICS_MISSING,
  'TT-METRICS-EMPTY': TT_METRICS_EMPTY,
  'TT-LOGS-STALE': TT_LOGS_STALE,
  'TT-LOGS-MISSING': TT_LOGS_MISSING,
  'TT-LOGS-EMPTY': TT_LOGS_EMPTY,
  'TT-TRACES-STALE': TT_TRACES_STALE,
  'TT-TRACES-MISSING': TT_TRACES_MISSING,
  'TT-TRACES-EMPTY': TT_TRACES_EMPTY,
  'TT-UNREACHABLE': TT_UNREACHABLE,
  'TT-DENIED': TT_DENIED,
  'TT-ERROR': TT_ERROR,
  'TT-ERROR-RATE-LIMITED': TT_ERROR_RATE_LIMITED,
  'TT-ERROR-ENDPOINT-MISSING': TT_ERROR_ENDPOINT_MISSING,
  'TT-ERROR-MALFORMED': TT_ERROR_MALFORMED,
  'TT-ERROR-QUERY': TT_ERROR_QUERY,
  'TT-NOT-CONFIGURED': TT_NOT_CONFIGURED,
};

export interface Runbook {
  code: string;
  title: string;
  markdown: string;
}

/** The five sections every runbook has, in this order. */
export const RUNBOOK_SECTIONS = ['What this means', 'Likely causes', 'Confirm', 'Fix', 'Verify'] as const;
export type RunbookSectionTitle = (typeof RUNBOOK_SECTIONS)[number];

export interface RunbookSection {
  title: string;
  /** The section's Markdown without its `##` heading. */
  markdown: string;
}

export interface ParsedRunbook {
  /** From the `# <CODE> — <title>` heading; '' when absent. */
  code: string;
  title: string;
  /** Markdown between the title and the first section (usually empty). */
  preamble: string;
  sections: RunbookSection[];
}

// ---------------------------------------------------------------------------------------------
// Markdown structure (just enough to find headings and fenced code blocks; rendering is marked's job)
// ---------------------------------------------------------------------------------------------

export type MarkdownBlock = { type: 'markdown'; text: string } | { type: 'code'; lang: string; code: string };

const FENCE_OPEN = /^```([A-Za-z0-9_+-]*)\s*$/;
const FENCE_CLOSE = /^```\s*$/;

/** Splits Markdown into prose and fenced code blocks. An unclosed fence runs to the end of the text. */
export function splitMarkdownBlocks(markdown: string): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  const lines = markdown.split('\n');
  let prose: string[] = [];
  let code: string[] | null = null;
  let lang = '';
  const flushProse = () => {
    if (prose.length > 0) {
      blocks.push({ type: 'markdown', text: prose.join('\n') });
      prose = [];
    }
  };
  for (const line of lines) {
    if (code === null) {
      const open = FENCE_OPEN.exec(line);
      if (open) {
        flushProse();
        code = [];
        lang = open[1];
      } else {
        prose.push(line);
      }
    } else if (FENCE_CLOSE.test(line)) {
      blocks.push({ type: 'code', lang, code: code.join('\n') });
      code = null;
    } else {
      code.push(line);
    }
  }
  if (code !== null) {
    blocks.push({ type: 'code', lang, code: code.join('\n') });
  }
  flushProse();
  return blocks;
}

/** Title heading `# TT-LOGS-MISSING — Loki has …` (em dash, en dash or hyphen accepted). */
const TITLE = /^#\s+(TT-[A-Z0-9-]+)\s+[—–-]\s+(.+?)\s*$/;

/** Parses a runbook into title and `##` sections. Headings inside code blocks (bash comments) are ignored. */
export function parseRunbook(markdown: string): ParsedRunbook {
  const result: ParsedRunbook = { code: '', title: '', preamble: '', sections: [] };
  let current: { title: string; lines: string[] } | null = null;
  const preamble: string[] = [];
  let inFence = false;
  let seenTitle = false;
  for (const line of markdown.replace(/\r\n/g, '\n').split('\n')) {
    if (inFence) {
      if (FENCE_CLOSE.test(line)) {
        inFence = false;
      }
    } else if (FENCE_OPEN.test(line)) {
      inFence = true;
    } else {
      const title = TITLE.exec(line);
      if (!seenTitle && title) {
        seenTitle = true;
        result.code = title[1];
        result.title = title[2];
        continue;
      }
      const heading = /^##\s+(.+?)\s*#*\s*$/.exec(line);
      if (heading && !line.startsWith('###')) {
        if (current) {
          result.sections.push({ title: current.title, markdown: current.lines.join('\n').trim() });
        }
        current = { title: heading[1], lines: [] };
        continue;
      }
    }
    (current ? current.lines : preamble).push(line);
  }
  if (current) {
    result.sections.push({ title: current.title, markdown: current.lines.join('\n').trim() });
  }
  result.preamble = preamble.join('\n').trim();
  return result;
}

/** The `##` sections of a runbook, in file order. */
export function parseRunbookSections(markdown: string): RunbookSection[] {
  return parseRunbook(markdown).sections;
}

// ---------------------------------------------------------------------------------------------
// The list
// ---------------------------------------------------------------------------------------------

export const runbooks: Runbook[] = Object.entries(RUNBOOK_FILES).map(([code, markdown]) => ({
  code,
  title: parseRunbook(markdown).title,
  markdown,
}));

/** The built-in runbook for a code (case-insensitive), or undefined. */
export function getRunbook(code: string): Runbook | undefined {
  const wanted = code.trim().toUpperCase();
  return runbooks.find((r) => r.code === wanted);
}

export type RunbookGroup = 'metrics' | 'logs' | 'traces' | 'transport' | 'configuration';

export const RUNBOOK_GROUPS: ReadonlyArray<{ id: RunbookGroup; title: string; description: string }> = [
  { id: 'metrics', title: 'Metrics', description: 'Prometheus or Mimir holds no fresh samples for a service.' },
  { id: 'logs', title: 'Logs', description: 'Loki holds no fresh log lines for a service.' },
  { id: 'traces', title: 'Traces', description: 'Tempo holds no fresh traces for a service.' },
  {
    id: 'transport',
    title: 'Datasource and transport',
    description: 'The datasource could not be asked: unreachable, denied, or an unusable answer.',
  },
  { id: 'configuration', title: 'Configuration', description: 'Nothing to check against.' },
];

/** The signal a data-verdict code belongs to (`TT-LOGS-MISSING` → logs); undefined for transport codes. */
export function runbookSignal(code: string): Signal | undefined {
  const m = /^TT-(METRICS|LOGS|TRACES)-/.exec(code);
  return m ? (m[1].toLowerCase() as Signal) : undefined;
}

export function runbookGroup(code: string): RunbookGroup {
  const signal = runbookSignal(code);
  if (signal) {
    return signal;
  }
  return code === 'TT-NOT-CONFIGURED' ? 'configuration' : 'transport';
}

// ---------------------------------------------------------------------------------------------
// Context placeholders: `{{service}}` etc. appear only inside fenced code blocks and are filled as text.
// ---------------------------------------------------------------------------------------------

export const RUNBOOK_PLACEHOLDERS = [
  'service',
  'signal',
  'verdict',
  'code',
  'datasource',
  'datasourceUid',
  'identityLabel',
  'query',
  'from',
  'to',
  'age',
  'alternativeLabel',
] as const;
export type RunbookPlaceholder = (typeof RUNBOOK_PLACEHOLDERS)[number];

/** The failing check's context (all plain text, all optional). */
export type RunbookContext = Partial<Record<RunbookPlaceholder, string>>;

export const PLACEHOLDER_PATTERN = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;

/** Code-block languages whose blocks are queries a datasource can run ("Open in Explore"). */
export const QUERY_LANGUAGES: Readonly<Record<string, BackendType>> = {
  promql: 'prometheus',
  logql: 'loki',
  traceql: 'tempo',
};
/** Languages allowed on fenced code blocks in runbooks. */
export const CODE_LANGUAGES = ['promql', 'logql', 'traceql', 'bash', 'yaml', 'alloy', 'text'] as const;

/** Default identity label per signal (the engine's defaults; TraceQL uses it as `resource.<label>`). */
export const DEFAULT_IDENTITY_LABEL: Record<Signal, string> = {
  metrics: 'job',
  logs: 'service_name',
  traces: 'service.name',
};

/** Where a position on a line sits, quote-wise: inside '…' (shell only) and/or inside "…". */
export function quoteStateAt(line: string, index: number, shell: boolean): { single: boolean; double: boolean } {
  let single = false;
  let double = false;
  for (let i = 0; i < index; i++) {
    const ch = line[i];
    if (single) {
      if (ch === "'") {
        single = false;
      }
    } else if (ch === '\\') {
      i++;
    } else if (ch === '"') {
      double = !double;
    } else if (ch === "'" && shell && !double) {
      single = true;
    }
  }
  return { single, double };
}

/** Control characters (newlines, ANSI escapes) never survive into a filled block: they could fake lines. */
function flatten(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const SHELL_WORD = /^[A-Za-z0-9_.:/@%+=,-]+$/;

/**
 * Fills `{{placeholders}}` in one code block as text, escaped for where they stand:
 * - promql/logql/traceql: inside "…" the value is string-escaped (`\` and `"`); elsewhere (a label name) only
 *   identifier-like values are filled;
 * - bash: inside '…' quotes are escaped as `'\''`; elsewhere only plain words are filled;
 * - other languages: the value as is.
 * Unknown or empty values leave the placeholder visible so the reader knows what to fill in.
 */
export function fillPlaceholders(code: string, context: RunbookContext, lang = ''): string {
  const isQuery = lang in QUERY_LANGUAGES;
  const isShell = lang === 'bash' || lang === 'sh' || lang === 'shell';
  return code
    .split('\n')
    .map((line) =>
      line.replace(PLACEHOLDER_PATTERN, (whole: string, key: string, offset: number) => {
        const raw = (context as Record<string, string | undefined>)[key];
        if (!(RUNBOOK_PLACEHOLDERS as readonly string[]).includes(key) || raw === undefined || raw === '') {
          return whole;
        }
        const value = flatten(raw);
        if (isQuery) {
          const { double } = quoteStateAt(line, offset, false);
          if (double) {
            return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
          }
          return IDENTIFIER.test(value) ? value : whole;
        }
        if (isShell) {
          const { single } = quoteStateAt(line, offset, true);
          if (single) {
            return value.replace(/'/g, `'\\''`);
          }
          return SHELL_WORD.test(value) ? value : whole;
        }
        return value;
      })
    )
    .join('\n');
}

/** Placeholders still present in a text (after filling). */
export function unfilledPlaceholders(text: string): string[] {
  return Array.from(new Set(Array.from(text.matchAll(PLACEHOLDER_PATTERN), (m) => m[1])));
}

/** Fills placeholders inside the fenced code blocks of a runbook; prose is returned unchanged. */
export function fillRunbookContext(markdown: string, context: RunbookContext): string {
  return splitMarkdownBlocks(markdown)
    .map((block) =>
      block.type === 'markdown'
        ? block.text
        : ['```' + block.lang, fillPlaceholders(block.code, context, block.lang), '```'].join('\n')
    )
    .join('\n');
}

/** The context with the identity label defaulted from the signal (runbook code first, then the context's). */
export function withDefaults(code: string, context: RunbookContext): RunbookContext {
  const signal = runbookSignal(code) ?? (isSignal(context.signal) ? context.signal : undefined);
  const filled: RunbookContext = { ...context, code };
  if (!filled.identityLabel && signal) {
    filled.identityLabel = DEFAULT_IDENTITY_LABEL[signal];
  }
  if (!filled.signal && signal) {
    filled.signal = signal;
  }
  return filled;
}

function isSignal(value: unknown): value is Signal {
  return value === 'metrics' || value === 'logs' || value === 'traces';
}

export { runbookContextOf, runbookHref, type RunbookLinkInput } from './link';
