/**
 * The seed incident (INCIDENT_NO_DATA.md) as a user sees it: Mimir has fresh scanium-backend metrics, Loki holds
 * no labels at all, Tempo no services. Then the drawer, its Explore link, the runbook and the JSON export.
 */
import { readFileSync } from 'node:fs';
import { APP, errorToasts, expect, test } from '../fixtures';
import { cellName, decodeExploreUrl, runbookTestIds, testIds } from '../selectors';

test.use({ world: 'seed-incident' });

const SERVICE = 'scanium-backend';

test('metrics ok, logs and traces failing for scanium-backend with the right codes', async ({ page, open }) => {
  await open(`${APP}/truth`);
  const cell = (signal: string) => page.getByTestId(testIds.matrix.cell(SERVICE, signal));
  await expect(cell('metrics')).toHaveAccessibleName(cellName(SERVICE, 'metrics', 'ok'));
  await expect(cell('logs')).toHaveAccessibleName(cellName(SERVICE, 'logs', 'empty', 'TT-LOGS-EMPTY'));
  await expect(cell('traces')).toHaveAccessibleName(cellName(SERVICE, 'traces', 'empty', 'TT-TRACES-EMPTY'));
  // The words and codes are on screen, not only in the accessible name.
  await expect(cell('logs')).toContainText('empty');
  await expect(cell('logs')).toContainText('TT-LOGS-EMPTY');
  await expect(cell('traces')).toContainText('TT-TRACES-EMPTY');
  // Probes never raise Grafana error toasts (showErrorAlert: false), even for failing backends.
  expect(await errorToasts(page)).toEqual([]);
});

test('the drawer of a failing cell explains it and links to Explore with the datasource uid and query', async ({
  page,
  open,
}) => {
  await open(`${APP}/truth`);
  await page.getByTestId(testIds.matrix.cell(SERVICE, 'logs')).click();
  const drawer = page.getByTestId(testIds.drawer.container);
  await expect(drawer).toBeVisible();
  await expect(drawer).toContainText('empty');
  const query = drawer.getByTestId(testIds.drawer.query);
  await expect(query).toContainText(SERVICE);
  const explore = drawer.getByTestId(testIds.drawer.explore);
  const href = await explore.getAttribute('href');
  expect(href).toBeTruthy();
  const { path, panes } = decodeExploreUrl(href ?? '');
  expect(path).toBe('/explore');
  expect(panes).toHaveLength(1);
  const pane = panes[0];
  const dsUid = typeof pane.datasource === 'string' ? pane.datasource : (pane.datasource as { uid?: string })?.uid;
  expect(dsUid).toBe('LOKI');
  expect(pane.queries[0].datasource).toMatchObject({ uid: 'LOKI', type: 'loki' });
  expect(String(pane.queries[0].expr)).toContain(`"${SERVICE}"`);
  expect(String(pane.queries[0].expr)).toBe((await query.innerText()).trim());
  expect(typeof pane.range?.from).toBe('string');
});

test('a runbook opens from a failing cell with the cell as its context', async ({ page, open }) => {
  await open(`${APP}/truth`);
  await page.getByTestId(testIds.matrix.cell(SERVICE, 'traces')).click();
  await page.getByTestId(testIds.drawer.container).getByTestId(testIds.drawer.runbook).click();
  await expect(page).toHaveURL(/\/a\/scanium-telemetrytruth-app\/runbooks\/TT-TRACES-EMPTY/);
  const view = page.getByTestId(runbookTestIds.view);
  await expect(view).toBeVisible();
  await expect(view.getByRole('heading', { level: 1 })).toContainText(/TT-TRACES-EMPTY|trace/i);
  const context = page.getByTestId(runbookTestIds.context);
  await expect(context).toContainText(SERVICE);
  await expect(context).toContainText('TEMPO');
});

test('the JSON export downloads a report that parses and holds what the page shows', async ({ page, open }) => {
  await open(`${APP}/truth`);
  await expect(page.getByTestId(testIds.matrix.cell(SERVICE, 'logs'))).toHaveAccessibleName(
    cellName(SERVICE, 'logs', 'empty', 'TT-LOGS-EMPTY')
  );
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testIds.export.json).click()]);
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  const file = await download.path();
  const report = JSON.parse(readFileSync(file, 'utf8'));
  expect(report.schemaVersion).toBe(1);
  expect(report.verdict).toBe('fail');
  const svc = report.services.find((s: { name: string }) => s.name === SERVICE);
  expect(svc.signals.metrics.status).toBe('ok');
  expect(svc.signals.logs).toMatchObject({ status: 'empty', code: 'TT-LOGS-EMPTY', datasourceUid: 'LOKI' });
  expect(svc.signals.traces).toMatchObject({ status: 'empty', code: 'TT-TRACES-EMPTY', datasourceUid: 'TEMPO' });
});

test('a Viewer sees the query but no Explore link (no datasources:explore)', async ({ page, open }) => {
  await open(`${APP}/truth`, { role: 'Viewer' });
  await page.getByTestId(testIds.matrix.cell(SERVICE, 'logs')).click();
  const drawer = page.getByTestId(testIds.drawer.container);
  await expect(drawer.getByTestId(testIds.drawer.query)).toContainText(SERVICE);
  await expect(drawer.getByTestId(testIds.drawer.explore)).toHaveCount(0);
  await expect(drawer.getByRole('link', { name: /Explore/ })).toHaveCount(0);
  await expect(drawer).toContainText('Explore needs the Editor role');
});

test("a deep link with ?service=&signal= opens that cell's drawer", async ({ page, open }) => {
  await open(`${APP}/truth?service=${SERVICE}&signal=traces`);
  const drawer = page.getByTestId(testIds.drawer.container);
  await expect(drawer).toBeVisible();
  await expect(page.getByRole('heading', { name: `${SERVICE} · traces` })).toBeVisible();
  await expect(drawer).toContainText('TT-TRACES-EMPTY');
});
