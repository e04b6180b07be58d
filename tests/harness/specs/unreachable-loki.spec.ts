/** Loki unreachable through the Grafana proxy (502 with an empty body). */
import { APP, errorToasts, expect, test } from '../fixtures';
import { cellName, testIds } from '../selectors';

test.use({ world: 'unreachable-loki' });

test('logs show unreachable with the message, the other signals stay ok', async ({ page, open, harness }) => {
  await open(`${APP}/truth`);
  const service = harness.world?.expectedServices[0] ?? 'scanium-backend';
  const logs = page.getByTestId(testIds.matrix.cell(service, 'logs'));
  await expect(logs).toHaveAccessibleName(cellName(service, 'logs', 'unreachable', 'TT-UNREACHABLE'));
  await expect(page.getByTestId(testIds.matrix.cell(service, 'metrics'))).toHaveAccessibleName(
    cellName(service, 'metrics', 'ok')
  );
  // The Loki datasource card says why, in words.
  const card = page.getByTestId(testIds.datasources.card('LOKI'));
  await expect(card).toContainText('unreachable');
  await expect(card).toContainText(/502|unreachable|could not reach|refused/i);
  // The drawer repeats the message for the cell.
  await logs.click();
  const drawer = page.getByTestId(testIds.drawer.container);
  await expect(drawer).toContainText(/502|unreachable|could not reach|refused/i);
  expect(await errorToasts(page)).toEqual([]);
});
