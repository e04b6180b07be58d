/**
 * The Grafana lines the harness can host the plugin on.
 *
 * Each line provides Grafana's shared modules (react, @grafana/*, rxjs, router…) from the REAL npm packages of
 * that line, bundled once by esbuild into `tests/harness/.cache/<line>/shell.js`.
 *  - `10.3`: the oldest line plugin.json declares (>=10.3.0); packages from the repository's own node_modules
 *    (@grafana/* 10.3.3, React 18), which is also what the plugin is compiled against.
 *  - `current`: the newest @grafana/data|ui|runtime that installs from the npm registry (13.2.3, React 19),
 *    installed separately in tests/harness/lines/current (`npm ci --prefix tests/harness/lines/current`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type LineName = '10.3' | 'current';

export interface Line {
  name: LineName;
  /** Directory whose node_modules provides the shared modules. */
  root: string;
  /** Human label used in reports. */
  label: string;
  /**
   * Third-party CSS Grafana's core stylesheet bundles for that line (10.x `public/sass/_grafana.scss` imports
   * rc-drawer, rc-slider and rc-time-picker's assets; 12+ @grafana/ui styles its drawer itself). Paths are
   * relative to the line's node_modules; the shell page inlines them like grafana.<theme>.css would.
   */
  vendorCss: string[];
}

export const repoRoot = resolve(__dirname, '..', '..');
export const harnessDir = __dirname;
export const cacheDir = join(harnessDir, '.cache');

export const LINES: Record<LineName, Line> = {
  '10.3': {
    name: '10.3',
    root: repoRoot,
    label: 'Grafana 10.3 line',
    vendorCss: ['rc-drawer/assets/index.css', 'rc-slider/assets/index.css', 'rc-time-picker/assets/index.css'],
  },
  current: { name: 'current', root: join(harnessDir, 'lines', 'current'), label: 'Grafana current line', vendorCss: [] },
};

export function isLineName(value: string): value is LineName {
  return value === '10.3' || value === 'current';
}

/** The @grafana/ui version installed for a line (the "Grafana version" the shell reports in buildInfo). */
export function lineGrafanaVersion(line: Line): string {
  const pkgPath = join(line.root, 'node_modules', '@grafana', 'ui', 'package.json');
  if (!existsSync(pkgPath)) {
    throw new Error(
      `The ${line.label} is not installed (${pkgPath} is missing). ` +
        (line.name === 'current' ? 'Run: npm ci --prefix tests/harness/lines/current' : 'Run: npm ci')
    );
  }
  const pkg: unknown = JSON.parse(readFileSync(pkgPath, 'utf8'));
  if (typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string') {
    return pkg.version;
  }
  throw new Error(`Cannot read the version of ${pkgPath}`);
}
