/**
 * Screenshots of the page, the drawer, a runbook and the panel in light and dark themes, taken in the seed
 * incident on the 10.3 line (the first users' Grafana). Each shot is taken only once what it shows is on screen.
 * They are written to tests/harness/.screenshots/ (gitignored); with UPDATE_SCREENSHOTS=1 also to docs/screenshots/
 * (the committed copies the README shows).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { APP, expect, test } from '../fixtures';
import { PANEL_ROOT, runbookTestIds, testIds } from '../selectors';

test.use({ world: 'seed-incident' });

const outDir = join(__dirname, '..', '.screenshots');
const docsDir = join(__dirname, '..', '..', '..', 'docs', 'screenshots');

async function shoot(page: Page, name: string, opts: { clip?: string } = {}) {
  mkdirSync(outDir, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  const file = join(outDir, `${name}.png`);
  if (opts.clip) {
    await page.locator(opts.clip).screenshot({ path: file, animations: 'disabled' });
  } else {
    await page.screenshot({ path: file, animations: 'disabled' });
  }
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(docsDir, { recursive: true });
    copyFileSync(file, join(docsDir, `${name}.png`));
  }
}

for (const theme of ['light', 'dark'] as const) {
  test(`screenshots (${theme})`, async ({ page, open, harness }) => {
    test.skip(harness.line !== '10.3', 'screenshots come from the 10.3 line');
    const logs = page.getByTestId(testIds.matrix.cell('scanium-backend', 'logs'));

    await open(`${APP}/truth`, { theme });
    await expect(logs).toContainText('TT-LOGS-EMPTY');
    await expect(page.getByTestId(testIds.page.summary)).toContainText('failing');
    await shoot(page, `page-${theme}`);

    await logs.click();
    await expect(page.getByTestId(testIds.drawer.explore)).toBeVisible();
    await shoot(page, `drawer-${theme}`);

    await page.getByTestId(testIds.drawer.runbook).click();
    await expect(page.getByTestId(runbookTestIds.context)).toContainText('scanium-backend');
    // Load the runbook URL afresh so the shot starts at the top of the page (focus moves scroll otherwise).
    const runbookUrl = new URL(page.url());
    runbookUrl.searchParams.delete('theme');
    await open(`${runbookUrl.pathname}${runbookUrl.search}`, { theme });
    await expect(page.getByTestId(runbookTestIds.context)).toContainText('scanium-backend');
    await shoot(page, `runbook-${theme}`);

    const options = JSON.stringify({ layout: 'grid', serviceMode: 'all', showCodes: true });
    await open(`/harness/panel?width=640&height=200&options=${encodeURIComponent(options)}`, { theme });
    await expect(page.getByTestId(PANEL_ROOT).getByRole('link', { name: /scanium-backend logs: empty/ })).toBeVisible();
    await shoot(page, `panel-${theme}`, { clip: '[data-testid="harness-panel-chrome"]' });

    const compact = JSON.stringify({ layout: 'compact', serviceMode: 'chosen', services: ['scanium-backend'] });
    await open(`/harness/panel?width=300&height=100&options=${encodeURIComponent(compact)}`, { theme });
    await expect(page.getByTestId(PANEL_ROOT).getByRole('link', { name: /scanium-backend logs: empty/ })).toBeVisible();
    await shoot(page, `panel-compact-${theme}`, { clip: '[data-testid="harness-panel-chrome"]' });
  });
}
