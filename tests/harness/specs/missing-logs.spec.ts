/**
 * FM-3: Loki holds logs for other services only, and one stream carries the service's name under another label
 * (`source="scanium-backend"`). The page says `missing` and names the label that would match.
 */
import { APP, expect, test } from '../fixtures';
import { cellName, testIds } from '../selectors';

test.use({ world: 'logs-other-services' });

const SERVICE = 'scanium-backend';

test('logs are missing for scanium-backend and the drawer names the label that would match', async ({ page, open }) => {
  await open(`${APP}/truth`);
  const logs = page.getByTestId(testIds.matrix.cell(SERVICE, 'logs'));
  await expect(logs).toHaveAccessibleName(cellName(SERVICE, 'logs', 'missing', 'TT-LOGS-MISSING'));
  // Other services' logs are fine: Loki is reachable and holds data.
  await expect(page.getByTestId(testIds.matrix.cell('checkout', 'logs'))).toHaveAccessibleName(
    cellName('checkout', 'logs', 'ok')
  );
  await logs.click();
  const drawer = page.getByTestId(testIds.drawer.container);
  await expect(drawer).toContainText('Found under another label');
  await expect(drawer).toContainText('source');
});
