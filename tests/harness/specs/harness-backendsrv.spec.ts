/**
 * Self-check of the harness's BackendSrv against Grafana's documented behaviour (grafana-conventions.md §4.1),
 * through the real Grafana API emulator: if these drift, every other spec would test against a wrong Grafana.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';

test.use({ world: 'unreachable-loki' });

interface Outcome {
  ok?: { status: number; data: unknown };
  error?: { status: number; data: unknown; cancelled?: boolean; statusText?: string };
}

async function call(page: Page, options: Record<string, unknown>): Promise<Outcome> {
  return page.evaluate(async (opts) => {
    const h = (window as any).__harness;
    try {
      const r = await h.lastValueFrom(h.backendSrv.fetch(opts));
      return { ok: { status: r.status, data: r.data } };
    } catch (e: any) {
      return { error: { status: e.status, data: e.data, cancelled: e.cancelled, statusText: e.statusText } };
    }
  }, options);
}

test('bodies, FetchErrors, toasts and requestId cancellation behave like Grafana', async ({ page, open }) => {
  await open('/harness/panel');
  // JSON bodies are parsed.
  const health = await call(page, { url: '/api/health', showErrorAlert: false });
  expect(health.ok?.status).toBe(200);
  expect(typeof health.ok?.data).toBe('object');

  // The data proxy's 502 with an empty body is a FetchError whose data is the (empty) raw string.
  const proxied = await call(page, { url: 'api/datasources/proxy/uid/LOKI/loki/api/v1/labels', showErrorAlert: false });
  expect(proxied.error).toMatchObject({ status: 502, data: '' });

  // showErrorAlert undefined: a data-proxy call never toasts, a failing local API call does.
  await call(page, { url: 'api/datasources/proxy/uid/LOKI/loki/api/v1/labels' });
  const toastsAfterProxy = await page.evaluate(() => (window as any).__harness.toasts.length);
  expect(toastsAfterProxy).toBe(0);
  const missing = await call(page, { url: '/api/datasources/uid/NOPE' });
  expect(missing.error?.status).toBe(404);
  await expect(page.getByTestId('harness-toast')).toHaveCount(1);

  // A second request with the same requestId cancels the first: status -1, cancelled.
  const both = await page.evaluate(async () => {
    const h = (window as any).__harness;
    const first = h.lastValueFrom(h.backendSrv.fetch({ url: 'api/datasources/proxy/uid/MIMIR/api/v1/status/buildinfo', requestId: 'same', showErrorAlert: false })).then(
      () => 'completed',
      (e: any) => ({ cancelled: e.cancelled, status: e.status })
    );
    const second = h.lastValueFrom(h.backendSrv.fetch({ url: 'api/datasources/proxy/uid/MIMIR/api/v1/status/buildinfo', requestId: 'same', showErrorAlert: false })).then(
      (r: any) => r.status,
      (e: any) => e.status
    );
    return { first: await first, second: await second };
  });
  expect(both.first).toEqual({ cancelled: true, status: -1 });
  expect(both.second).toBe(200);
});
