/**
 * Grafana served from a sub-path (root_url …/grafana/, serve_from_sub_path): every request the plugin makes and
 * every link it renders must keep the sub-path, or a reverse proxy that forwards only /grafana/* breaks it.
 */
import { APP, expect, test } from '../fixtures';
import { decodeExploreUrl, PANEL_ROOT, runbookTestIds, testIds } from '../selectors';

test.use({ world: 'seed-incident', appSubUrl: '/grafana' });

const SERVICE = 'scanium-backend';

test('requests, Explore and runbook links keep the /grafana sub-path', async ({ page, open }) => {
  const outside: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.hostname === '127.0.0.1' && !u.pathname.startsWith('/grafana/')) {
      outside.push(u.pathname);
    }
  });
  await open(`${APP}/truth`);
  await expect(page).toHaveURL(/\/grafana\/a\/scanium-telemetrytruth-app\/truth/);
  const logs = page.getByTestId(testIds.matrix.cell(SERVICE, 'logs'));
  await expect(logs).toContainText('TT-LOGS-EMPTY');

  await logs.click();
  const drawer = page.getByTestId(testIds.drawer.container);
  const href = (await drawer.getByTestId(testIds.drawer.explore).getAttribute('href')) ?? '';
  expect(decodeExploreUrl(href).path).toBe('/grafana/explore');

  await drawer.getByTestId(testIds.drawer.runbook).click();
  await expect(page).toHaveURL(/\/grafana\/a\/scanium-telemetrytruth-app\/runbooks\/TT-LOGS-EMPTY/);
  await expect(page.getByTestId(runbookTestIds.context)).toContainText(SERVICE);

  const options = JSON.stringify({ layout: 'compact', serviceMode: 'chosen', services: [SERVICE] });
  await open(`/harness/panel?width=320&height=120&options=${encodeURIComponent(options)}`);
  const badge = page.getByTestId(PANEL_ROOT).getByRole('link', { name: /^scanium-backend logs: empty/ });
  await expect(badge).toHaveAttribute('href', /^\/grafana\/a\/scanium-telemetrytruth-app\/truth\?/);
  await expect(page.getByTestId(PANEL_ROOT).getByRole('link', { name: 'Runbook for TT-LOGS-EMPTY' })).toHaveAttribute(
    'href',
    /^\/grafana\/a\/scanium-telemetrytruth-app\/runbooks\/TT-LOGS-EMPTY/
  );

  expect(outside, 'requests outside the sub-path').toEqual([]);
});
