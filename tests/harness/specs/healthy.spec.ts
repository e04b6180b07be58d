/** Everything fresh: every expected service is ok in every signal. */
import { APP, errorToasts, expect, test } from '../fixtures';
import { cellName, testIds } from '../selectors';

const SIGNALS = ['metrics', 'logs', 'traces'] as const;

test.use({ world: 'healthy' });
test('every expected service is ok in every signal', async ({ page, open, harness }) => {
  await open(`${APP}/truth`);
  const services = harness.world?.expectedServices ?? [];
  expect(services.length).toBeGreaterThan(1);
  for (const service of services) {
    for (const signal of SIGNALS) {
      await expect(page.getByTestId(testIds.matrix.cell(service, signal))).toHaveAccessibleName(
        cellName(service, signal, 'ok')
      );
    }
  }
  await expect(page.getByTestId(testIds.page.summary)).toContainText(`${services.length} fully ok`);
  expect(await errorToasts(page)).toEqual([]);
});
