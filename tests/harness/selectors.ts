/**
 * Selectors shared by the harness specs and the plugin-e2e specs (tests/e2e): the product's own test ids
 * (src/components/testIds.ts, src/components/Runbook/testIds.ts) plus a few for surfaces without a shared id.
 */
export { testIds } from '../../src/components/testIds';
export { runbookTestIds } from '../../src/components/Runbook/testIds';

/** The nested panel's root (src/panels/telemetry-truth/TelemetryTruthPanel.tsx). */
export const PANEL_ROOT = 'tt-panel';

/**
 * What a matrix cell's accessible name says: `<service> <signal>: <status>[ <code>]…` — the code may be in
 * parentheses; for `ok` no code follows the status.
 */
export function cellName(service: string, signal: string, status: string, code?: string): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const tail = code ? ` \\(?${escape(code)}\\)?[.,]` : '[.,]';
  return new RegExp(`^${escape(service)} ${escape(signal)}: ${escape(status)}${tail}`);
}

/** Decode a Grafana Explore URL (`/explore?schemaVersion=1&panes=<json>` or legacy `?left=<json>`). */
export function decodeExploreUrl(href: string): {
  path: string;
  panes: Array<{ datasource?: unknown; queries: Array<Record<string, unknown>>; range?: { from?: unknown; to?: unknown } }>;
} {
  const url = new URL(href, 'http://grafana.invalid');
  const panesParam = url.searchParams.get('panes');
  if (panesParam) {
    const parsed: unknown = JSON.parse(panesParam);
    const panes = Object.values(typeof parsed === 'object' && parsed !== null ? parsed : {}) as Array<{
      datasource?: unknown;
      queries: Array<Record<string, unknown>>;
      range?: { from?: unknown; to?: unknown };
    }>;
    return { path: url.pathname, panes };
  }
  const left = url.searchParams.get('left');
  const pane: unknown = left ? JSON.parse(left) : {};
  return { path: url.pathname, panes: [pane as never] };
}
