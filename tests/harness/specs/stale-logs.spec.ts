/** scanium-backend's newest log line is 3 h old (freshness 10 m, lookback 24 h): `stale`, with its age. */
import { APP, expect, test } from '../fixtures';
import { cellName, testIds } from '../selectors';

test.use({ world: 'stale-logs' });

test('logs are stale for scanium-backend and the page shows how old the newest line is', async ({ page, open }) => {
  await open(`${APP}/truth`);
  const logs = page.getByTestId(testIds.matrix.cell('scanium-backend', 'logs'));
  await expect(logs).toHaveAccessibleName(cellName('scanium-backend', 'logs', 'stale', 'TT-LOGS-STALE'));
  await expect(logs).toContainText(/3 h/);
  await expect(page.getByTestId(testIds.matrix.cell('checkout', 'logs'))).toHaveAccessibleName(
    cellName('checkout', 'logs', 'ok')
  );
});
