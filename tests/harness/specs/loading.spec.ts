/**
 * The production build loads the way Grafana loads it — module.js as an AMD module through SystemJS with the
 * shared modules of the line — and mounts the app root, the configuration page and the nested panel.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP, expect, test } from '../fixtures';

test.use({ world: 'healthy' });

test('module.js loads through SystemJS with only the modules this Grafana line shares', async ({ page, open, harness }) => {
  const loaded: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes(`/public/plugins/`)) {
      loaded.push(new URL(r.url()).pathname);
    }
  });
  await open(`${APP}/truth`);
  await expect(page.getByTestId('harness-load-error')).toHaveCount(0);
  expect(loaded).toContain(`/public/plugins/scanium-telemetrytruth-app/module.js`);
  // Lazy chunks come from the plugin's public path, not from the page's path.
  for (const path of loaded) {
    expect(path.startsWith('/public/plugins/scanium-telemetrytruth-app/')).toBe(true);
  }
  const info = await page.evaluate(() => ({
    line: (window as unknown as { __harness: { line: string } }).__harness.line,
    version: (window as unknown as { grafanaBootData: { settings: { buildInfo: { version: string } } } })
      .grafanaBootData.settings.buildInfo.version,
  }));
  expect(info.line).toBe(harness.line);
  expect(info.version).toBe(harness.grafanaVersion);

  // Every AMD dependency of module.js and of the panel's module.js is one Grafana provides on this line: the
  // plugin bundles no second React, router or @grafana/* copy, and needs nothing Grafana does not share.
  const shared = await page.evaluate(() => (window as unknown as { __harness: { shared: string[] } }).__harness.shared);
  for (const path of ['module.js', 'panels/telemetry-truth/module.js']) {
    const source = await (await page.request.get(`${harness.url}/public/plugins/scanium-telemetrytruth-app/${path}`)).text();
    const deps = /define\((\[[^\]]*\])/.exec(source);
    expect(deps, `${path} is an AMD module`).not.toBeNull();
    const names = (JSON.parse(deps?.[1] ?? '[]') as string[]).filter((d) => d !== 'module' && d !== 'exports' && d !== 'require');
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !shared.includes(n)), `${path} needs modules this line does not share`).toEqual([]);
  }
});

test('the configuration page mounts from plugin.configPages', async ({ page, open }) => {
  await open(`/plugins/scanium-telemetrytruth-app?page=configuration`);
  await expect(page.getByTestId('harness-config-page')).toBeVisible();
  await expect(page.getByTestId('harness-load-error')).toHaveCount(0);
});

test('the build bundles no copy of React, ReactDOM or react-router (Grafana provides them)', async ({ harness }) => {
  // Markers only these libraries' own code contains.
  const markers = [
    'Minified React error #', // react / react-dom production builds
    'React Router caught the following error during render', // react-router v6 core (kept in production)
    'outside a <Router>', // react-router v5 core
  ];
  const dist = join(__dirname, '..', '..', '..', 'dist');
  const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
  expect(files).toContain('module.js');
  const found: string[] = [];
  for (const f of files) {
    const text = readFileSync(join(dist, f), 'utf8');
    for (const m of markers) {
      if (text.includes(m)) {
        found.push(`${f}: ${m}`);
      }
    }
  }
  expect(found, `bundled library code (${harness.line} line shares these)`).toEqual([]);
});
