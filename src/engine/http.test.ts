/** @jest-environment node */
import { classifyResponse, requestJson, RequestContext } from './http';
import { createLimiter } from './limiter';
import { DatasourceRef, Transport, TransportError } from './model';
import * as B from './__fixtures__/bodies';

const isStringArray = (b: unknown) => {
  if (typeof b === 'object' && b !== null && 'data' in b) {
    const d = (b as { data: unknown }).data;
    return Array.isArray(d) && d.every((x) => typeof x === 'string') ? d : undefined;
  }
  return undefined;
};
const classify = (status: number, body: unknown) =>
  classifyResponse('loki/api/v1/labels', { status, body }, isStringArray);

describe('classifyResponse', () => {
  it('accepts a well-shaped 200', () => {
    expect(classify(200, B.lokiLabels(['job']))).toEqual({ ok: true, value: ['job'] });
  });

  it.each([
    ['Grafana proxy 502 with an empty body', 502, '', 'unreachable', undefined, /empty body/],
    ['504 upstream timeout', 504, '', 'unreachable', undefined, /HTTP 504/],
    ['Prometheus WAL replay 503', 503, B.promNotReady, 'unreachable', undefined, /Service Unavailable/],
    ['401', 401, { message: 'Unauthorized' }, 'denied', undefined, /HTTP 401/],
    [
      '401 no org id (multi-tenant, no tenant)',
      401,
      'no org id\n',
      'denied',
      undefined,
      /needs a tenant \(X-Scope-OrgID\)/,
    ],
    ['403', 403, B.grafanaAccessDenied, 'denied', undefined, /Access denied/],
    ['proxy 400 auth text', 400, B.grafanaAuthFailed, 'denied', undefined, /backend answered 401/],
    ['429', 429, 'too many outstanding requests', 'error', 'rate_limited', /rate limited/],
    ['404', 404, '404 page not found', 'error', 'endpoint_missing', /not found/],
    ['HTML login page with 200', 200, B.htmlLoginPage, 'error', 'malformed', /HTML page.*Sign in/],
    ['truncated JSON', 200, B.truncatedJson, 'error', 'malformed', /not valid JSON/],
    ['status error in a 200', 200, { status: 'error', error: 'boom' }, 'error', 'query', /boom/],
    ['Prometheus bad_data 400', 400, B.promError, 'error', 'query', /bad_data: invalid parameter/],
    ['Loki plain-text 400', 400, B.lokiParseError, 'error', 'query', /parse error at line 1/],
    ['wrong shape', 200, { status: 'success', data: { nope: 1 } }, 'error', 'malformed', /unexpected response shape/],
    ['redirect to login', 302, '', 'denied', undefined, /redirected/],
  ])('%s', (_name, status, body, verdict, cause, message) => {
    const r = classify(status, body);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.failure.verdict).toBe(verdict);
      expect(r.failure.cause).toBe(cause);
      expect(r.failure.message).toMatch(message);
      // Every failure names the endpoint and the status so a person knows where to look.
      expect(r.failure.message).toContain('loki/api/v1/labels');
      expect(r.failure.message).toContain(`HTTP ${status}`);
    }
  });

  it('quotes at most ~200 characters of the body and never a bearer token', () => {
    const body = `<html>Bearer glsa_secret123 ${'x'.repeat(1000)}</html>`;
    const r = classify(200, body);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.failure.message).not.toContain('glsa_secret123');
      expect(r.failure.message.length).toBeLessThan(320);
    }
  });
});

const ds: DatasourceRef = { uid: 'loki', name: 'Loki', type: 'loki' };
const ctx = (transport: Transport, timeoutMs = 50, concurrency = 8): RequestContext => ({
  transport,
  limiter: createLimiter(concurrency),
  timeoutMs,
  stats: { requests: 0 },
});

describe('requestJson', () => {
  it('a transport that hangs and ignores its signal still settles as unreachable within the timeout', async () => {
    const hung: Transport = { request: () => new Promise(() => undefined) };
    const started = Date.now();
    const r = await requestJson(ctx(hung, 100), { datasource: ds, path: 'loki/api/v1/labels' }, isStringArray);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.failure.verdict).toBe('unreachable');
      expect(r.failure.message).toMatch(/no answer within 100 ms/);
    }
  });

  it('aborts the transport signal on timeout so a well-behaved transport can stop', async () => {
    let seen: AbortSignal | undefined;
    const t: Transport = {
      request: (req) => {
        seen = req.signal;
        return new Promise(() => undefined);
      },
    };
    await requestJson(ctx(t, 30), { datasource: ds, path: 'x' }, isStringArray);
    expect(seen?.aborted).toBe(true);
  });

  it('maps a refused connection to unreachable', async () => {
    const t: Transport = {
      request: () => Promise.reject(new TransportError('network', 'http://loki:3100/x: ECONNREFUSED')),
    };
    const r = await requestJson(ctx(t), { datasource: ds, path: 'x' }, isStringArray);
    expect(!r.ok && r.failure.verdict).toBe('unreachable');
    expect(!r.ok && r.failure.message).toMatch(/ECONNREFUSED/);
  });

  it('rejects with an AbortError when the run is cancelled', async () => {
    const controller = new AbortController();
    const t: Transport = { request: () => new Promise(() => undefined) };
    const c = { ...ctx(t, 10_000), signal: controller.signal };
    const p = requestJson(c, { datasource: ds, path: 'x' }, isStringArray);
    controller.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('never runs more requests at once than the limit, and a hung request frees its slot at the timeout', async () => {
    let inFlight = 0;
    let peak = 0;
    const t: Transport = {
      request: (req) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        if (req.path === 'hang') {
          // Ignores the signal for settling, but stops counting once the engine gave up on it.
          req.signal.addEventListener('abort', () => inFlight--);
          return new Promise(() => undefined);
        }
        return new Promise((resolve) =>
          setTimeout(() => {
            inFlight--;
            resolve({ status: 200, body: B.lokiLabels([]) });
          }, 5)
        );
      },
    };
    const c = ctx(t, 50, 3);
    const paths = ['hang', 'hang', ...Array.from({ length: 20 }, () => 'ok')];
    const results = await Promise.all(paths.map((path) => requestJson(c, { datasource: ds, path }, isStringArray)));
    expect(peak).toBeLessThanOrEqual(3);
    expect(results.filter((r) => r.ok)).toHaveLength(20);
    expect(c.stats.requests).toBe(22);
  });
});
