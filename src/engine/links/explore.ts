/**
 * Pure builders for Grafana URLs (Explore deep links, app routes). No React, no @grafana/*: the CLI,
 * the runbooks and the page share them.
 */
import type { BackendType } from '../model';

export interface ExploreLinkInput {
  /** Grafana's sub-path (`config.appSubUrl`), e.g. `/grafana`; or an absolute base such as `https://g.example.com/grafana`. */
  appSubUrl?: string;
  orgId?: number;
  datasourceUid: string;
  datasourceType: BackendType;
  query: string;
  /** Epoch milliseconds, an ISO date, or a Grafana relative time like `now-1h`. Default `now-1h`. */
  from?: string | number;
  /** Default `now`. */
  to?: string | number;
}

/** Grafana regenerates pane keys that are not 3 characters with a letter; a fixed valid key keeps links stable. */
export const EXPLORE_PANE_KEY = 'tt1';

/** Explore only accepts strings in `range`; ISO dates become epoch-ms strings, relative times pass through. */
export function toExploreTime(value: string | number | undefined, fallback: string): string {
  if (value === undefined || value === '') {
    return fallback;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(Math.round(value)) : fallback;
  }
  if (/^now([+-]\d+[smhdwMy])?(\/[smhdwMy])?$/.test(value) || /^\d+$/.test(value)) {
    return value;
  }
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? fallback : String(parsed);
}

/** The data-source specific part of an Explore query (what each query editor stores). */
export function exploreQueryFields(type: BackendType, query: string): Record<string, unknown> {
  switch (type) {
    case 'prometheus':
      return { expr: query, instant: false, range: true };
    case 'loki':
      return { expr: query, queryType: 'range' };
    case 'tempo':
      return { queryType: 'traceql', query };
  }
}

/** `<appSubUrl>/explore?schemaVersion=1&panes=<json>&orgId=<n>` for one query on one datasource. */
export function buildExploreUrl(input: ExploreLinkInput): string {
  const datasource = { type: input.datasourceType, uid: input.datasourceUid };
  const panes = {
    [EXPLORE_PANE_KEY]: {
      datasource: input.datasourceUid,
      queries: [{ refId: 'A', datasource, ...exploreQueryFields(input.datasourceType, input.query) }],
      range: { from: toExploreTime(input.from, 'now-1h'), to: toExploreTime(input.to, 'now') },
    },
  };
  const params = new URLSearchParams();
  params.set('schemaVersion', '1');
  params.set('panes', JSON.stringify(panes));
  params.set('orgId', String(input.orgId ?? 1));
  return `${trimSlash(input.appSubUrl ?? '')}/explore?${params.toString()}`;
}

function trimSlash(base: string): string {
  return base.replace(/\/+$/, '');
}
