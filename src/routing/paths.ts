import { locationUtil } from '@grafana/data';
import { APP_BASE_PATH, ROUTES } from '../engine/links/routes';

export { appPath, ROUTES, APP_BASE_PATH } from '../engine/links/routes';

/**
 * Route patterns for one route, relative and absolute: Grafana 11+ mounts the app under `/a/:pluginId/*`
 * (relative paths match), Grafana 10.3 renders it at the top level with the full pathname (absolute paths match).
 */
export function routePatterns(route: ROUTES | '*'): string[] {
  return route === '*' ? ['*'] : [route, `${APP_BASE_PATH}/${route}`];
}

/** An in-Grafana path as an `href`, with Grafana's sub-path when it is served under one. */
export function grafanaHref(path: string): string {
  return locationUtil.assureBaseUrl(path);
}
