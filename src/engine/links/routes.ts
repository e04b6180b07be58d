/** Routes of the app, typed in one place. Pure so the CLI and the panel can link to the page too. */
import type { Signal } from '../model';

export const PLUGIN_ID = 'scanium-telemetrytruth-app';
export const APP_BASE_PATH = `/a/${PLUGIN_ID}`;

/** Route patterns relative to the app root (react-router `path`s). */
export enum ROUTES {
  Truth = 'truth',
  Datasource = 'datasource/:uid',
  Runbooks = 'runbooks',
  Runbook = 'runbooks/:code',
  Configuration = 'configuration',
}

/** Parameters each route needs; a missing one is a type error. */
export interface RouteParams {
  [ROUTES.Truth]: { service?: string; signal?: Signal };
  [ROUTES.Datasource]: { uid: string };
  [ROUTES.Runbooks]: Record<string, never>;
  [ROUTES.Runbook]: { code: string; query?: Record<string, string | undefined> };
  [ROUTES.Configuration]: Record<string, never>;
}

/**
 * Absolute app path for a route, e.g. `/a/scanium-telemetrytruth-app/truth?service=api&signal=logs`.
 * `base` may be Grafana's sub-path or an absolute Grafana URL (the CLI).
 */
export function appPath<R extends ROUTES>(route: R, params: RouteParams[R], base = ''): string {
  const root = `${base.replace(/\/+$/, '')}${APP_BASE_PATH}`;
  switch (route) {
    case ROUTES.Truth: {
      const p = params as RouteParams[ROUTES.Truth];
      return `${root}/truth${query({ service: p.service, signal: p.signal })}`;
    }
    case ROUTES.Datasource:
      return `${root}/datasource/${encodeURIComponent((params as RouteParams[ROUTES.Datasource]).uid)}`;
    case ROUTES.Runbook: {
      const p = params as RouteParams[ROUTES.Runbook];
      return `${root}/runbooks/${encodeURIComponent(p.code)}${query(p.query ?? {})}`;
    }
    default:
      return `${root}/${route}`;
  }
}

function query(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') {
      params.set(key, value);
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** What a runbook page shows as "the failing check" (see src/runbooks RUNBOOK_PLACEHOLDERS); all plain text. */
export interface RunbookLinkContext {
  service?: string;
  signal?: Signal;
  verdict?: string;
  datasource?: string;
  datasourceUid?: string;
  identityLabel?: string;
  query?: string;
  from?: string;
  to?: string;
  /** Seconds, as text. */
  age?: string;
  alternativeLabel?: string;
}

/** A built-in runbook link with the failing check's context in its query string; external links are left alone. */
export function withRunbookContext(runbook: string, context: RunbookLinkContext): string {
  if (!runbook.startsWith('/') || runbook.startsWith('//') || !runbook.includes(`${APP_BASE_PATH}/runbooks/`)) {
    return runbook;
  }
  const extra = query(context as Record<string, string | undefined>).slice(1);
  if (!extra) {
    return runbook;
  }
  return `${runbook}${runbook.includes('?') ? '&' : '?'}${extra}`;
}
