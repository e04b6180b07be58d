/** @jest-environment node */
import { judgeCell, judgeDatasource, judgeServiceInDatasource, JudgeContext, overallVerdict } from './judge';
import { DatasourceFacts, emptyFacts, noData, ServiceFacts } from './facts';
import { DatasourceRef } from './model';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const ctx: JudgeContext = {
  nowMs: NOW,
  window: { start: '2026-11-27T12:00:00.000Z', end: '2026-11-28T12:00:00.000Z' },
  freshnessSeconds: { metrics: 300, logs: 600, traces: 900 },
  lookbackSeconds: 86400,
  runbookUrls: {},
};
const loki: DatasourceRef = { uid: 'loki', name: 'Loki', type: 'loki' };
const id = { label: 'service_name' };

function facts(over: Partial<DatasourceFacts>, services: Record<string, Partial<ServiceFacts>> = {}): DatasourceFacts {
  const f = { ...emptyFacts(loki, 'logs'), holdsData: true, seen: ['a', 'b'], ...over };
  for (const [name, sf] of Object.entries(services)) {
    f.services.set(name, { ...noData(id), ...sf });
  }
  return f;
}

describe('judge: one verdict per situation', () => {
  it.each([
    [
      'ok',
      facts({}, { a: { newestMs: NOW - 42_000 } }),
      'ok',
      'TT-LOGS-OK',
      /Newest log line in "Loki" 42 s ago \(freshness 10 m\)/,
    ],
    ['ok at exactly the freshness', facts({}, { a: { newestMs: NOW - 600_000 } }), 'ok', 'TT-LOGS-OK', /10 m ago/],
    ['stale one second later', facts({}, { a: { newestMs: NOW - 601_000 } }), 'stale', 'TT-LOGS-STALE', /10 m 1 s ago/],
    [
      'stale, coarse resolution',
      facts({}, { a: { newestMs: NOW - 7200_000, resolutionMs: 300_000 } }),
      'stale',
      'TT-LOGS-STALE',
      /Newest log line in "Loki" 2 h to 2 h 5 m ago \(freshness 10 m\)/,
    ],
    [
      'stale undated',
      facts({}, { a: { staleUndated: true } }),
      'stale',
      'TT-LOGS-STALE',
      /in the last 1 d but none in the last 10 m/,
    ],
    [
      'missing',
      facts({}, { a: {} }),
      'missing',
      'TT-LOGS-MISSING',
      /holds logs for 1 other service but none with service_name="a"/,
    ],
    [
      'missing, service unknown to the datasource',
      facts({ seen: ['x', 'y', 'z'] }),
      'missing',
      'TT-LOGS-MISSING',
      /3 other services/,
    ],
    [
      'empty',
      facts({ holdsData: false, seen: [] }, { a: {} }),
      'empty',
      'TT-LOGS-EMPTY',
      /holds no logs at all in the last 1 d/,
    ],
    [
      'unreachable',
      facts({
        failure: {
          verdict: 'unreachable',
          status: 502,
          path: 'loki/api/v1/labels',
          message: 'GET loki/api/v1/labels → HTTP 502: backend unavailable',
        },
      }),
      'unreachable',
      'TT-UNREACHABLE',
      /"Loki": GET loki\/api\/v1\/labels → HTTP 502/,
    ],
    [
      'denied',
      facts({ failure: { verdict: 'denied', status: 401, path: 'p', message: 'm' } }),
      'denied',
      'TT-DENIED',
      /m/,
    ],
    [
      'error rate limited',
      facts({ failure: { verdict: 'error', cause: 'rate_limited', status: 429, path: 'p', message: 'm' } }),
      'error',
      'TT-ERROR-RATE-LIMITED',
      /m/,
    ],
    [
      'per-service query error',
      facts(
        {},
        { a: { failure: { verdict: 'error', cause: 'query', status: 400, path: 'p', message: 'parse error' } } }
      ),
      'error',
      'TT-ERROR-QUERY',
      /parse error/,
    ],
  ])('%s', (_name, f, status, code, message) => {
    const cell = judgeCell('logs', [judgeServiceInDatasource(f, 'a', id, ctx)], ctx);
    expect(cell.status).toBe(status);
    expect(cell.code).toBe(code);
    expect(cell.message).toMatch(message);
    expect(cell.runbook).toBe(status === 'ok' ? null : `/a/scanium-telemetrytruth-app/runbooks/${code}`);
    expect(cell.window).toEqual(ctx.window);
  });

  it('not_configured without datasources', () => {
    const cell = judgeCell('traces', [], ctx);
    expect(cell).toMatchObject({ status: 'not_configured', code: 'TT-NOT-CONFIGURED', perDatasource: [] });
    expect(cell.message).toMatch(/No Tempo \(traces\) datasource/);
  });

  it('clock skew counts as fresh and says so', () => {
    const cell = judgeCell(
      'logs',
      [judgeServiceInDatasource(facts({}, { a: { newestMs: NOW + 120_000 } }), 'a', id, ctx)],
      ctx
    );
    expect(cell).toMatchObject({ status: 'ok', clockSkew: true, ageSeconds: -120 });
    expect(cell.message).toMatch(/2 m in the future: a clock is skewed/);
  });

  it('missing names the label that would match, and only for missing', () => {
    const f = facts({}, { a: { alternatives: [{ label: 'source' }, { label: 'container' }] } });
    const cell = judgeCell('logs', [judgeServiceInDatasource(f, 'a', id, ctx)], ctx);
    expect(cell.alternativeIdentity).toEqual({ label: 'source', datasourceUid: 'loki' });
    expect(cell.message).toMatch(/Found under source="a", container="a": set the logs identity to "source"/);
  });

  it('several datasources: best status wins, the freshest ok is shown, each result is kept', () => {
    const other: DatasourceRef = { uid: 'loki2', name: 'Loki 2', type: 'loki' };
    const a = judgeServiceInDatasource(facts({}, { a: { newestMs: NOW - 100_000 } }), 'a', id, ctx);
    const b = judgeServiceInDatasource(
      { ...facts({}, { a: { newestMs: NOW - 10_000 } }), datasource: other },
      'a',
      id,
      ctx
    );
    const c = judgeServiceInDatasource(
      facts({ failure: { verdict: 'denied', status: 403, path: 'p', message: 'no' } }),
      'a',
      id,
      ctx
    );
    const cell = judgeCell('logs', [c, a, b], ctx);
    expect(cell).toMatchObject({ status: 'ok', datasourceUid: 'loki2', ageSeconds: 10 });
    expect(cell.perDatasource.map((p) => p.status)).toEqual(['denied', 'ok', 'ok']);
  });

  it('datasource results: ok, empty, failure', () => {
    expect(judgeDatasource(facts({ seen: ['a'] }), ctx)).toMatchObject({
      status: 'ok',
      code: 'TT-LOGS-OK',
      seenServices: ['a'],
    });
    expect(judgeDatasource(facts({ holdsData: false, seen: [] }), ctx)).toMatchObject({
      status: 'empty',
      code: 'TT-LOGS-EMPTY',
    });
    expect(
      judgeDatasource(
        facts({ failure: { verdict: 'error', cause: 'malformed', status: 200, path: 'p', message: 'html' } }),
        ctx
      )
    ).toMatchObject({ status: 'error', code: 'TT-ERROR-MALFORMED', message: 'html' });
  });

  it('overall verdict', () => {
    const okCell = judgeCell(
      'logs',
      [judgeServiceInDatasource(facts({}, { a: { newestMs: NOW } }), 'a', id, ctx)],
      ctx
    );
    const stale = judgeCell(
      'logs',
      [judgeServiceInDatasource(facts({}, { a: { staleUndated: true } }), 'a', id, ctx)],
      ctx
    );
    const dsOk = judgeDatasource(facts({}), ctx);
    const dsEmpty = judgeDatasource(facts({ holdsData: false }), ctx);
    expect(overallVerdict('expectations', [okCell], [dsOk])).toBe('pass');
    expect(overallVerdict('expectations', [okCell, stale], [dsOk])).toBe('fail');
    expect(overallVerdict('discovery', [stale], [dsOk])).toBe('pass');
    expect(overallVerdict('discovery', [okCell], [dsOk, dsEmpty])).toBe('fail');
  });
});
