/** @jest-environment node */
/**
 * The nested panel as Grafana and the plugin validator see it in dist/. `npm test` builds before jest;
 * a bare `jest` run without a build skips this suite (its title says so) rather than passing vacuously.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(ROOT, 'dist');
const PANEL_DIR = path.join(DIST, 'panels/telemetry-truth');
const built = existsSync(path.join(DIST, 'plugin.json'));

(built ? describe : describe.skip)(
  `dist/ layout of the nested panel${built ? '' : ' (skipped: run `npm run build` first)'}`,
  () => {
    const pluginJson = () => JSON.parse(readFileSync(path.join(PANEL_DIR, 'plugin.json'), 'utf8'));

    it('has the module, its source map, plugin.json and the logo next to each other', () => {
      for (const file of ['module.js', 'module.js.map', 'plugin.json', 'img/logo.svg']) {
        expect(existsSync(path.join(PANEL_DIR, file))).toBe(true);
      }
    });

    it('substitutes the version and date placeholders in the panel plugin.json', () => {
      const json = pluginJson();
      const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
      expect(json.info.version).toBe(pkg.version);
      expect(json.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(JSON.stringify(json)).not.toContain('%');
    });

    it('points its logos at files that exist relative to its plugin.json (validator: metadatapaths)', () => {
      const { logos } = pluginJson().info;
      for (const logo of [logos.small, logos.large]) {
        expect(existsSync(path.join(PANEL_DIR, logo))).toBe(true);
      }
    });

    it('is the panel the app includes, and its source map covers the panel sources', () => {
      const app = JSON.parse(readFileSync(path.join(DIST, 'plugin.json'), 'utf8'));
      const include = app.includes.find((i: { type: string }) => i.type === 'panel');
      expect(path.join(DIST, include.path)).toBe(path.join(PANEL_DIR, 'plugin.json'));
      expect(pluginJson().id).toBe('scanium-telemetrytruth-panel');
      const map = JSON.parse(readFileSync(path.join(PANEL_DIR, 'module.js.map'), 'utf8'));
      expect(map.sources.some((s: string) => s.endsWith('panels/telemetry-truth/TelemetryTruthPanel.tsx'))).toBe(true);
    });
  }
);
