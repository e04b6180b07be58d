import { config } from '@grafana/runtime';

/**
 * Whether the user may open Explore. `hasPermission` is not exported by @grafana/runtime 10.3, so read the
 * permissions in boot data; without them fall back to the role rule (Editor+, or Viewer with viewers_can_edit).
 */
export function canExplore(): boolean {
  const user = config.bootData?.user;
  if (!user) {
    return false;
  }
  const permissions = user.permissions;
  if (permissions && Object.keys(permissions).length > 0) {
    return permissions['datasources:explore'] === true;
  }
  return (
    user.isGrafanaAdmin ||
    user.orgRole === 'Admin' ||
    user.orgRole === 'Editor' ||
    (user.orgRole === 'Viewer' && config.viewersCanEdit)
  );
}

/** Org Admins (and server admins) may change the app settings. */
export function isAppAdmin(): boolean {
  const user = config.bootData?.user;
  if (!user) {
    return false;
  }
  const permissions = user.permissions;
  if (permissions && typeof permissions['plugins:write'] === 'boolean') {
    return permissions['plugins:write'];
  }
  return user.isGrafanaAdmin || user.orgRole === 'Admin';
}

/** Grafana's sub-path (`/grafana` when served under one), for links that leave the app. */
export function appSubUrl(): string {
  return config.appSubUrl ?? '';
}
