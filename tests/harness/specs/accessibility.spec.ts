/**
 * axe-core (WCAG 2.0/2.1 A and AA rules) on the page, the drawer, the configuration page and the panel, in both
 * themes: no serious or critical violation.
 */
import { describeViolations as report } from '../axe';
import { APP, expect, test } from '../fixtures';
import { PANEL_ROOT, testIds } from '../selectors';

test.use({ world: 'seed-incident' });

for (const theme of ['dark', 'light'] as const) {
  test(`overview page and drawer (${theme})`, async ({ page, open, axe }) => {
    await open(`${APP}/truth`, { theme });
    await expect(page.getByTestId(testIds.matrix.cell('scanium-backend', 'logs'))).toContainText('empty');
    const pageViolations = await axe();
    expect(pageViolations, report(pageViolations)).toEqual([]);

    await page.getByTestId(testIds.matrix.cell('scanium-backend', 'logs')).click();
    const drawer = page.getByTestId(testIds.drawer.container);
    await expect(drawer).toBeVisible();
    const drawerViolations = await axe(`[data-testid="${testIds.drawer.container}"]`);
    expect(drawerViolations, report(drawerViolations)).toEqual([]);
  });

  test(`configuration page (${theme})`, async ({ page, open, axe }) => {
    await open(`/plugins/scanium-telemetrytruth-app?page=configuration`, { theme });
    await expect(page.getByTestId(testIds.appConfig.container)).toBeVisible();
    const violations = await axe(`[data-testid="${testIds.appConfig.container}"]`);
    expect(violations, report(violations)).toEqual([]);
  });

  test(`panel (${theme})`, async ({ page, open, axe }) => {
    const options = JSON.stringify({ layout: 'grid', serviceMode: 'all', showCodes: true });
    await open(`/harness/panel?width=640&height=240&options=${encodeURIComponent(options)}`, { theme });
    await expect(page.getByTestId(PANEL_ROOT).getByRole('table')).toBeVisible();
    const violations = await axe(`[data-testid="${PANEL_ROOT}"]`);
    expect(violations, report(violations)).toEqual([]);
  });
}
