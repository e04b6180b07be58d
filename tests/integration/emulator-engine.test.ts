/** @jest-environment node */
/**
 * Each world must tell the story tests/worlds/README.md promises, all the way through the engine and
 * the Grafana proxy transport. The engine and the worlds are written by different people: this test
 * shows that a verdict comes from what the backends hold, not from something one side assumed.
 */
import { createGrafanaProxyTransport, DEFAULT_CONFIG, runCheck, type Report, type Signal, type Verdict } from '../../src/engine';
import { startWorld, type WorldName } from '../worlds';

async function check(name: WorldName, timeoutMs = 5000): Promise<{ report: Report; ms: number }> {
  const w = await startWorld(name, { heartbeatMs: 0 });
  try {
    const t0 = Date.now();
    const report = await runCheck({
      config: { ...DEFAULT_CONFIG, services: w.expectedServices.map((n) => ({ name: n })), timeoutMs },
      transport: createGrafanaProxyTransport({ grafanaUrl: w.grafanaUrl, token: w.token }),
      datasources: w.datasources,
    });
    return { report, ms: Date.now() - t0 };
  } finally {
    await w.stop();
  }
}

function cell(report: Report, service: string, signal: Signal) {
  const s = report.services.find((x) => x.name === service);
  const c = s?.signals[signal];
  if (!c) {
    throw new Error(`no ${signal} cell for ${service}; services: ${report.services.map((x) => x.name).join(', ')}`);
  }
  return c;
}

function statuses(report: Report, service: string): Record<Signal, Verdict> {
  return {
    metrics: cell(report, service, 'metrics').status,
    logs: cell(report, service, 'logs').status,
    traces: cell(report, service, 'traces').status,
  };
}

jest.setTimeout(60_000);

describe('engine × worlds', () => {
  it('healthy: every service ok in every signal', async () => {
    const { report } = await check('healthy');
    for (const s of ['scanium-backend', 'checkout', 'cart']) {
      expect(statuses(report, s)).toEqual({ metrics: 'ok', logs: 'ok', traces: 'ok' });
    }
    expect(report.verdict).toBe('pass');
  });

  it('seed-incident: metrics ok, Loki and Tempo empty', async () => {
    const { report } = await check('seed-incident');
    expect(statuses(report, 'scanium-backend')).toEqual({ metrics: 'ok', logs: 'empty', traces: 'empty' });
    expect(cell(report, 'scanium-backend', 'logs').code).toBe('TT-LOGS-EMPTY');
    expect(cell(report, 'scanium-backend', 'traces').code).toBe('TT-TRACES-EMPTY');
  });

  it('logs-other-services: backend logs missing, found under source', async () => {
    const { report } = await check('logs-other-services');
    const logs = cell(report, 'scanium-backend', 'logs');
    expect(logs.status).toBe('missing');
    expect(logs.alternativeIdentity).toEqual({ label: 'source', datasourceUid: 'LOKI' });
    expect(statuses(report, 'checkout')).toEqual({ metrics: 'ok', logs: 'ok', traces: 'ok' });
  });

  it('stale-logs and stale-metrics: the 3 h old signal is stale, by about 3 h', async () => {
    const logs = cell((await check('stale-logs')).report, 'scanium-backend', 'logs');
    expect(logs.status).toBe('stale');
    expect(logs.ageSeconds).toBeGreaterThan(3 * 3600 - 600);
    expect(logs.ageSeconds).toBeLessThan(3 * 3600 + 600);
    const metrics = cell((await check('stale-metrics')).report, 'scanium-backend', 'metrics');
    expect(metrics.status).toBe('stale');
    expect(metrics.ageSeconds).toBeGreaterThan(3 * 3600 - 600);
    expect(metrics.ageSeconds).toBeLessThan(3 * 3600 + 600);
  });

  it('tempo-v1 and mimir: older APIs and path prefixes still give ok', async () => {
    expect(statuses((await check('tempo-v1')).report, 'checkout')).toEqual({ metrics: 'ok', logs: 'ok', traces: 'ok' });
    expect(statuses((await check('mimir')).report, 'checkout')).toEqual({ metrics: 'ok', logs: 'ok', traces: 'ok' });
  });

  it.each([
    ['proxy-502', 'unreachable', 'TT-UNREACHABLE'],
    ['html-error', 'error', 'TT-ERROR-MALFORMED'],
    ['truncated-json', 'error', 'TT-ERROR-MALFORMED'],
    ['rate-limited', 'error', 'TT-ERROR-RATE-LIMITED'],
    ['loki-auth-failed', 'denied', 'TT-DENIED'],
  ] as const)('%s: logs are %s (%s) while metrics and traces stay ok', async (world, verdict, code) => {
    const { report } = await check(world);
    const logs = cell(report, 'scanium-backend', 'logs');
    expect([logs.status, logs.code]).toEqual([verdict, code]);
    expect(statuses(report, 'checkout')).toEqual({ metrics: 'ok', logs: verdict, traces: 'ok' });
  });

  it('token-rejected: every cell denied', async () => {
    const { report } = await check('token-rejected');
    expect(statuses(report, 'scanium-backend')).toEqual({ metrics: 'denied', logs: 'denied', traces: 'denied' });
  });

  it('hung: traces unreachable within the timeout, the others keep their verdicts', async () => {
    const { report, ms } = await check('hung', 1500);
    expect(statuses(report, 'cart')).toEqual({ metrics: 'ok', logs: 'ok', traces: 'unreachable' });
    expect(ms).toBeLessThan(1500 * 3);
  });

  it('quotes: odd names are ok in every signal', async () => {
    const { report } = await check('quotes');
    for (const s of ['we"ird\\svc.*', "o'brien (eu)|[x]+?", 'ünï/cødé $svc{1}']) {
      expect(statuses(report, s)).toEqual({ metrics: 'ok', logs: 'ok', traces: 'ok' });
    }
  });
});
