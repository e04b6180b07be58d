/**
 * @grafana/plugin-e2e specs for a REAL Grafana (`npm run server` or `npm run server:incident`, then `npm run e2e`).
 * Same flows as the harness specs (tests/harness/specs), same selectors (tests/harness/selectors.ts).
 * They cannot run on a machine without Docker; there the harness specs (`npm run e2e:harness`) stand in.
 *
 * TT_STACK=incident (default healthy) says which stack is up: healthy = every expected service ok;
 * incident = the seed incident (demo-service keeps metrics, its logs and traces stop).
 */
import { readFileSync } from 'node:fs';
import { describeViolations, runAxe } from '../harness/axe';
import { cellName, decodeExploreUrl, runbookTestIds, testIds } from '../harness/selectors';
import { expect, test } from './fixtures';

const INCIDENT = process.env.TT_STACK === 'incident';
const SERVICE = 'demo-service';

test('overview: the expected services have a verdict per signal', async ({ gotoPage, page }) => {
  await gotoPage('/truth');
  const cell = (signal: string) => page.getByTestId(testIds.matrix.cell(SERVICE, signal));
  await expect(cell('metrics')).toHaveAccessibleName(cellName(SERVICE, 'metrics', 'ok'));
  if (INCIDENT) {
    await expect(cell('logs')).toHaveAccessibleName(/^demo-service logs: (empty|missing) \(?TT-LOGS-(EMPTY|MISSING)\)?/);
    await expect(cell('traces')).toHaveAccessibleName(
      /^demo-service traces: (empty|missing) \(?TT-TRACES-(EMPTY|MISSING)\)?/
    );
  } else {
    await expect(cell('logs')).toHaveAccessibleName(cellName(SERVICE, 'logs', 'ok'));
    await expect(cell('traces')).toHaveAccessibleName(cellName(SERVICE, 'traces', 'ok'));
  }
});

test('drawer: the Explore link carries the datasource uid and the query', async ({ gotoPage, page }) => {
  await gotoPage('/truth');
  await page.getByTestId(testIds.matrix.cell(SERVICE, 'logs')).click();
  const drawer = page.getByTestId(testIds.drawer.container);
  await expect(drawer).toBeVisible();
  const query = (await drawer.getByTestId(testIds.drawer.query).innerText()).trim();
  expect(query).toContain(SERVICE);
  const href = await drawer.getByTestId(testIds.drawer.explore).getAttribute('href');
  const { path, panes } = decodeExploreUrl(href ?? '');
  expect(path).toMatch(/\/explore$/);
  expect(panes[0].queries[0].datasource).toMatchObject({ uid: 'LOKI', type: 'loki' });
  expect(String(panes[0].queries[0].expr)).toBe(query);
  // The link works in Grafana: Explore opens on the Loki datasource.
  await drawer.getByTestId(testIds.drawer.explore).click();
  await expect(page).toHaveURL(/\/explore/);
});

test('runbook: opens from a failing cell with its context', async ({ gotoPage, page }) => {
  test.skip(!INCIDENT, 'needs a failing cell (TT_STACK=incident)');
  await gotoPage('/truth');
  await page.getByTestId(testIds.matrix.cell(SERVICE, 'traces')).click();
  await page.getByTestId(testIds.drawer.runbook).click();
  await expect(page).toHaveURL(/\/a\/scanium-telemetrytruth-app\/runbooks\/TT-TRACES-/);
  await expect(page.getByTestId(runbookTestIds.view)).toBeVisible();
  await expect(page.getByTestId(runbookTestIds.context)).toContainText(SERVICE);
});

test('export: the JSON report downloads and parses', async ({ gotoPage, page }) => {
  await gotoPage('/truth');
  await expect(page.getByTestId(testIds.matrix.cell(SERVICE, 'metrics'))).toHaveAccessibleName(
    cellName(SERVICE, 'metrics', 'ok')
  );
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testIds.export.json).click()]);
  const report = JSON.parse(readFileSync(await download.path(), 'utf8'));
  expect(report.schemaVersion).toBe(1);
  expect(report.verdict).toBe(INCIDENT ? 'fail' : 'pass');
  expect(report.services.map((s: { name: string }) => s.name)).toContain(SERVICE);
});

test('configuration: saving a new expected service makes the overview check it', async ({
  appConfigPage,
  gotoPage,
  page,
}) => {
  const form = page.getByTestId(testIds.appConfig.container);
  await expect(form).toBeVisible();
  const count = await form.getByRole('textbox', { name: /^Service \d+ name$/ }).count();
  await form.getByRole('button', { name: 'Add service' }).click();
  await form.getByRole('textbox', { name: `Service ${count + 1} name` }).fill('e2e-added-service');
  const saved = appConfigPage.waitForSettingsResponse();
  await page.getByTestId(testIds.appConfig.save).click();
  await expect(saved).toBeOK();
  await gotoPage('/truth');
  const row = page.getByTestId(testIds.matrix.row('e2e-added-service'));
  await expect(row).toBeVisible();
  await expect(row).not.toContainText('discovered');
  // Put the provisioned configuration back.
  await appConfigPage.goto();
  await form.getByRole('button', { name: 'Remove e2e-added-service' }).click();
  const restored = appConfigPage.waitForSettingsResponse();
  await page.getByTestId(testIds.appConfig.save).click();
  await expect(restored).toBeOK();
});

test('accessibility: overview, drawer and configuration have no serious violations', async ({
  gotoPage,
  appConfigPage,
  page,
}) => {
  await appConfigPage.goto();
  await expect(page.getByTestId(testIds.appConfig.container)).toBeVisible();
  const config = await runAxe(page, `[data-testid="${testIds.appConfig.container}"]`);
  expect(config, describeViolations(config)).toEqual([]);

  await gotoPage('/truth');
  await expect(page.getByTestId(testIds.matrix.cell(SERVICE, 'metrics'))).toBeVisible();
  const overview = await runAxe(page, `[data-testid="${testIds.page.container}"]`);
  expect(overview, describeViolations(overview)).toEqual([]);
  await page.getByTestId(testIds.matrix.cell(SERVICE, 'logs')).click();
  await expect(page.getByTestId(testIds.drawer.container)).toBeVisible();
  const drawer = await runAxe(page, `[data-testid="${testIds.drawer.container}"]`);
  expect(drawer, describeViolations(drawer)).toEqual([]);
});
