/**
 * Fixtures for the harness specs: a test world (tests/worlds) + the harness host for the project's Grafana line,
 * page helpers that wait for what a user sees, an axe-core scan, and a guard that fails a test on any uncaught
 * page error or Grafana error toast the user did not expect.
 */
import { expect, test as base, type Page } from '@playwright/test';
import { startWorld, type World, type WorldName } from '../worlds';
import { runAxe, type AxeViolation } from './axe';
import type { LineName } from './lines';
import { startHarnessServer, type HarnessServer } from './server';

export const PLUGIN_ID = 'scanium-telemetrytruth-app';
export const APP = `/a/${PLUGIN_ID}`;

export interface HarnessOptions {
  line: LineName;
  /** The emulated world behind the Grafana API; 'none' = the harness stub (no datasources). */
  world: WorldName | 'none';
  /**
   * Save the world's expected services into the app settings before the worker's tests, the way the seed
   * stack provisions them (provisioning/plugins/apps.yaml). false = discovery mode (nothing configured).
   */
  expectServices: boolean;
  /** Serve "Grafana" from this sub-path ('' = root), like root_url …/grafana/ with serve_from_sub_path. */
  appSubUrl: string;
}

export interface Harness {
  url: string;
  line: LineName;
  grafanaVersion: string;
  world?: World;
}

export interface OpenOptions {
  theme?: 'light' | 'dark';
  role?: 'Admin' | 'Editor' | 'Viewer';
}

interface TestFixtures {
  /** Go to a harness path (e.g. `${APP}/truth`) with theme/role, and wait for the shell to be up. */
  open: (path: string, opts?: OpenOptions) => Promise<void>;
  /** Run axe-core (WCAG 2 A/AA) on the page or a part of it; returns serious/critical violations. */
  axe: (include?: string) => Promise<AxeViolation[]>;
  /** Uncaught page errors and error toasts are collected and fail the test unless a spec clears them. */
  pageProblems: string[];
}


export const test = base.extend<TestFixtures, HarnessOptions & { harness: Harness }>({
  line: ['10.3', { scope: 'worker', option: true }],
  world: ['seed-incident', { scope: 'worker', option: true }],
  expectServices: [true, { scope: 'worker', option: true }],
  appSubUrl: ['', { scope: 'worker', option: true }],
  harness: [
    async ({ line, world, expectServices, appSubUrl }, use) => {
      const w = world === 'none' ? undefined : await startWorld(world);
      let server: HarnessServer | undefined;
      try {
        if (w && expectServices) {
          await saveAppSettings(w, { services: w.expectedServices.map((name) => ({ name })) });
        }
        server = await startHarnessServer({ line, grafanaUrl: w?.grafanaUrl, token: w?.token, appSubUrl });
        await use({ url: server.url, line, grafanaVersion: server.grafanaVersion, world: w });
      } finally {
        await server?.close();
        await w?.stop();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  pageProblems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
      await use(problems);
      expect(problems, 'uncaught page errors').toEqual([]);
    },
    { auto: true },
  ],
  open: async ({ page, harness }, use) => {
    await use(async (path, opts = {}) => {
      // `path` is Grafana-relative (`/a/<id>/…`); harness.url already ends with the sub-path, if any.
      const url = new URL(`${harness.url}${path}`);
      url.searchParams.set('theme', opts.theme ?? 'dark');
      if (opts.role) {
        url.searchParams.set('role', opts.role);
      }
      await page.goto(url.toString());
      await expect(page.locator('body')).toHaveAttribute('data-harness-ready', 'true');
    });
  },
  axe: async ({ page }, use) => {
    await use((include) => runAxe(page, include));
  },
});

export { expect };
export type { AxeViolation };

/** POST the app's jsonData through the world's Grafana API (what the configuration page's save does). */
export async function saveAppSettings(w: World, jsonData: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${w.grafanaUrl}/api/plugins/${PLUGIN_ID}/settings`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(w.token ? { Authorization: `Bearer ${w.token}` } : {}) },
    body: JSON.stringify({ enabled: true, pinned: true, jsonData }),
  });
  if (!res.ok) {
    throw new Error(`saving app settings answered ${res.status}: ${await res.text()}`);
  }
}

/** The app settings the world's Grafana currently holds. */
export async function readAppSettings(w: World): Promise<Record<string, unknown>> {
  const res = await fetch(`${w.grafanaUrl}/api/plugins/${PLUGIN_ID}/settings`, {
    headers: w.token ? { Authorization: `Bearer ${w.token}` } : {},
  });
  const body: unknown = await res.json();
  return typeof body === 'object' && body !== null && 'jsonData' in body && typeof body.jsonData === 'object' && body.jsonData
    ? (body.jsonData as Record<string, unknown>)
    : {};
}

/** Text of Grafana error toasts shown so far (BackendSrv showErrorAlert). */
export async function errorToasts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const h = (window as unknown as { __harness?: { toasts: Array<{ kind: string; text: string }> } }).__harness;
    return (h?.toasts ?? []).filter((t) => t.kind === 'alert-error').map((t) => t.text);
  });
}
