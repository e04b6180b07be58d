import { OrgRole } from '@grafana/data';
import { config } from '@grafana/runtime';
import { canExplore, isAppAdmin } from './permissions';

type User = typeof config.bootData.user;

function asUser(user: Partial<User>, viewersCanEdit = false) {
  config.bootData = { ...config.bootData, user: { isGrafanaAdmin: false, orgRole: OrgRole.Viewer, ...user } as User };
  config.viewersCanEdit = viewersCanEdit;
}

describe('permissions', () => {
  it('uses the datasources:explore permission when Grafana sends permissions', () => {
    asUser({ orgRole: OrgRole.Editor, permissions: { 'datasources:explore': false, 'datasources:query': true } });
    expect(canExplore()).toBe(false);
    asUser({ orgRole: OrgRole.Viewer, permissions: { 'datasources:explore': true } });
    expect(canExplore()).toBe(true);
  });

  it('falls back to roles: Editor and Admin explore, Viewers only with viewers_can_edit', () => {
    asUser({ orgRole: OrgRole.Viewer });
    expect(canExplore()).toBe(false);
    asUser({ orgRole: OrgRole.Viewer }, true);
    expect(canExplore()).toBe(true);
    asUser({ orgRole: OrgRole.Editor });
    expect(canExplore()).toBe(true);
  });

  it('treats Org Admins (or plugins:write) as app admins', () => {
    asUser({ orgRole: OrgRole.Editor });
    expect(isAppAdmin()).toBe(false);
    asUser({ orgRole: OrgRole.Admin });
    expect(isAppAdmin()).toBe(true);
    asUser({ orgRole: OrgRole.Viewer, permissions: { 'plugins:write': true } });
    expect(isAppAdmin()).toBe(true);
  });
});
