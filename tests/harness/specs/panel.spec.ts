/**
 * The nested panel (panels/telemetry-truth/module.js) rendered with PanelProps like a dashboard would, in its
 * compact and grid layouts.
 */
import { expect, test } from '../fixtures';
import { PANEL_ROOT } from '../selectors';

test.use({ world: 'seed-incident' });

function panelUrl(options: Record<string, unknown>, width: number, height: number) {
  const q = new URLSearchParams({ options: JSON.stringify(options), width: String(width), height: String(height) });
  return `/harness/panel?${q.toString()}`;
}

test('compact layout: one badge per signal for the chosen service, in a small panel', async ({ page, open }) => {
  await open(panelUrl({ layout: 'compact', serviceMode: 'chosen', services: ['scanium-backend'], showCodes: true }, 320, 120));
  const panel = page.getByTestId(PANEL_ROOT);
  await expect(panel).toBeVisible();
  const badges = panel.getByTestId('tt-badge');
  await expect(badges).toHaveCount(3);
  await expect(panel.getByRole('link', { name: /^scanium-backend logs: empty/ })).toBeVisible();
  await expect(panel.getByRole('link', { name: /^scanium-backend traces: empty/ })).toBeVisible();
  await expect(panel.getByRole('link', { name: 'Runbook for TT-LOGS-EMPTY' })).toHaveAttribute(
    'href',
    /\/a\/scanium-telemetrytruth-app\/runbooks\/TT-LOGS-EMPTY/
  );
  // Everything fits: the panel does not overflow its 320×120 box.
  const box = await panel.boundingBox();
  expect(box?.width).toBeLessThanOrEqual(320);
  expect(box?.height).toBeLessThanOrEqual(120);
});

test('grid layout: services × signals table with the verdict words', async ({ page, open }) => {
  await open(panelUrl({ layout: 'grid', serviceMode: 'all', showCodes: true }, 640, 240));
  const panel = page.getByTestId(PANEL_ROOT);
  const table = panel.getByRole('table');
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader')).toHaveText(['Service', 'metrics', 'logs', 'traces']);
  const row = table.getByRole('row', { name: /scanium-backend/ });
  await expect(row.getByRole('rowheader')).toHaveText('scanium-backend');
  await expect(row.getByRole('link', { name: /^scanium-backend logs: empty, .*TT-LOGS-EMPTY/ })).toBeVisible();
});

test('the panel re-checks on the dashboard refresh event', async ({ page, open }) => {
  await open(panelUrl({ layout: 'compact', serviceMode: 'chosen', services: ['scanium-backend'] }, 320, 120));
  const panel = page.getByTestId(PANEL_ROOT);
  await expect(panel.getByRole('link', { name: /^scanium-backend logs: empty/ })).toBeVisible();
  const probesBefore = await page.evaluate(() => (window as any).__harness.requests.length as number);
  // Refreshes right after a run are coalesced with it (sharedRun); the dashboard keeps refreshing, so do we.
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          (window as any).__harness.refreshPanel();
          return (window as any).__harness.requests.length as number;
        }),
      { intervals: [1000], timeout: 20_000 }
    )
    .toBeGreaterThan(probesBefore);
  await expect(panel.getByRole('link', { name: /^scanium-backend logs: empty/ })).toBeVisible();
});
