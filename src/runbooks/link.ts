/**
 * The runbook link of a failing cell, with the failing check's context in the query string so the runbook page
 * can show it and fill its Confirm queries. Pure: the page, the panel and the CLI reports may all use it.
 */
import type { CellResult, Signal } from '../engine/model';
import type { RunbookContext } from './index';

/** Marks a link to the built-in runbook route (any Grafana base, relative or absolute). */
const BUILT_IN = /\/a\/scanium-telemetrytruth-app\/runbooks\/[^/?#]+$/;

export interface RunbookLinkInput {
  cell: Pick<
    CellResult,
    'runbook' | 'status' | 'query' | 'datasourceUid' | 'window' | 'ageSeconds' | 'alternativeIdentity' | 'perDatasource'
  >;
  service: string;
  signal: Signal;
  /** The identity label configured for this service and signal, when it is a label (not a selector). */
  identityLabel?: string;
}

/** The context a runbook page needs, from a cell. */
export function runbookContextOf({ cell, service, signal, identityLabel }: RunbookLinkInput): RunbookContext {
  const ds = cell.perDatasource.find((d) => d.datasourceUid === cell.datasourceUid);
  const context: RunbookContext = { service, signal, verdict: cell.status };
  if (cell.datasourceUid) {
    context.datasourceUid = cell.datasourceUid;
  }
  if (ds?.datasourceName) {
    context.datasource = ds.datasourceName;
  }
  if (cell.query) {
    context.query = cell.query;
  }
  if (cell.window?.start) {
    context.from = cell.window.start;
  }
  if (cell.window?.end) {
    context.to = cell.window.end;
  }
  if (cell.ageSeconds !== null && cell.ageSeconds !== undefined) {
    context.age = String(Math.round(cell.ageSeconds));
  }
  if (cell.alternativeIdentity?.label) {
    context.alternativeLabel = cell.alternativeIdentity.label;
  }
  if (identityLabel) {
    context.identityLabel = identityLabel;
  }
  return context;
}

/**
 * `cell.runbook` with the context appended when it is the built-in runbook route; an organisation's override URL
 * is returned unchanged (its owner decides its parameters). Null when the cell has no runbook.
 */
export function runbookHref(input: RunbookLinkInput): string | null {
  const link = input.cell.runbook;
  if (!link) {
    return null;
  }
  if (!BUILT_IN.test(link)) {
    return link;
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(runbookContextOf(input))) {
    if (value) {
      params.set(key, value);
    }
  }
  const query = params.toString();
  return query ? `${link}?${query}` : link;
}
