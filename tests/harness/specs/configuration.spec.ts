/**
 * The configuration page (the plugin's config tab) saves through Grafana's API and the overview re-runs with the
 * new expectations.
 */
import { APP, expect, readAppSettings, saveAppSettings, test } from '../fixtures';
import { testIds } from '../selectors';

test.use({ world: 'seed-incident' });

test('saving a new expected service makes the overview check it', async ({ page, open, harness }) => {
  const world = harness.world;
  if (!world) {
    throw new Error('this spec needs a world');
  }
  const before = await readAppSettings(world);
  try {
    await open(`/plugins/scanium-telemetrytruth-app?page=configuration`);
    const form = page.getByTestId(testIds.appConfig.container);
    await expect(form).toBeVisible();
    await expect(form.getByRole('textbox', { name: 'Service 1 name' })).toHaveValue('scanium-backend');

    await form.getByRole('button', { name: 'Add service' }).click();
    await form.getByRole('textbox', { name: 'Service 2 name' }).fill('alloy');
    await page.getByTestId(testIds.appConfig.save).click();
    await expect(page.getByText('Saved.', { exact: false })).toBeVisible();
    await expect(page.getByTestId(testIds.appConfig.saveError)).toHaveCount(0);

    // Grafana now holds the new expectation...
    const saved = await readAppSettings(world);
    expect(JSON.stringify(saved.services)).toContain('"alloy"');

    // ...and the overview checks it as an expected service (not a discovered one).
    await open(`${APP}/truth`);
    const row = page.getByTestId(testIds.matrix.row('alloy'));
    await expect(row).toBeVisible();
    await expect(row).not.toContainText('discovered');
    await expect(page.getByTestId(testIds.matrix.row('scanium-backend'))).toBeVisible();
  } finally {
    await saveAppSettings(world, before);
  }
});

test('the configuration page of the app is for Admins: a Viewer is turned away (current Grafana)', async ({
  page,
  open,
  harness,
}) => {
  test.skip(harness.line !== 'current', "10.3's AppRootPage role check is not emulated");
  await open(`${APP}/configuration`, { role: 'Viewer' });
  await expect(page.getByTestId('harness-access-denied')).toBeVisible();
  await open(`${APP}/truth`, { role: 'Viewer' });
  await expect(page.getByTestId(testIds.matrix.row('scanium-backend'))).toBeVisible();
});
