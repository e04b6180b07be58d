/**
 * The nested panel on the provisioned dashboard (provisioning/dashboards/json/telemetry-truth.json) in a real
 * Grafana: the grid panel and the compact one. Same selectors as the harness panel spec.
 */
import type { Dashboard } from '@grafana/plugin-e2e';
import { describeViolations, runAxe } from '../harness/axe';
import { PANEL_ROOT } from '../harness/selectors';
import { expect, test } from './fixtures';

const INCIDENT = process.env.TT_STACK === 'incident';

test('grid and compact panels render verdict badges', async ({ readProvisionedDashboard, gotoDashboardPage, page }) => {
  const dashboard: Dashboard = await readProvisionedDashboard({ fileName: 'telemetry-truth.json' });
  const dashboardPage = await gotoDashboardPage(dashboard);

  const grid = dashboardPage.getPanelByTitle('Is telemetry arriving now?');
  const table = grid.locator.getByTestId(PANEL_ROOT).getByRole('table');
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader')).toHaveText(['Service', 'metrics', 'logs', 'traces']);
  await expect(table.getByRole('link', { name: /^demo-service metrics: ok/ })).toBeVisible();

  const compact = dashboardPage.getPanelByTitle('Demo service (compact)');
  await expect(compact.locator.getByTestId('tt-badge')).toHaveCount(3);
  await expect(compact.locator.getByRole('link', { name: INCIDENT ? /^demo-service logs: (empty|missing)/ : /^demo-service logs: ok/ })).toBeVisible();

  const violations = await runAxe(page, `[data-testid="${PANEL_ROOT}"]`);
  expect(violations, describeViolations(violations)).toEqual([]);
});
