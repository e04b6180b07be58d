import type { CellResult } from '../engine/model';
import { contextFromSearch } from '../components/Runbook/context';
import { runbookHref } from './index';

const cell: CellResult = {
  status: 'missing',
  code: 'TT-LOGS-MISSING',
  message: 'Loki holds logs for 4 other services but none with service_name="checkout & co"',
  newestAt: null,
  ageSeconds: null,
  clockSkew: false,
  window: { start: '2026-11-27T02:00:00.000Z', end: '2026-11-28T02:00:00.000Z' },
  query: '{service_name="checkout & co"}',
  datasourceUid: 'LOKI',
  runbook: '/grafana/a/scanium-telemetrytruth-app/runbooks/TT-LOGS-MISSING',
  alternativeIdentity: { label: 'job', datasourceUid: 'LOKI' },
  perDatasource: [
    {
      datasourceUid: 'LOKI',
      datasourceName: 'Loki (prod)',
      status: 'missing',
      code: 'TT-LOGS-MISSING',
      message: '',
      newestAt: null,
      ageSeconds: null,
      query: null,
    },
  ],
};

describe('runbookHref', () => {
  it('carries the failing check to the built-in runbook page, which reads back the same context', () => {
    const href = runbookHref({ cell, service: 'checkout & co', signal: 'logs' })!;
    expect(href.startsWith('/grafana/a/scanium-telemetrytruth-app/runbooks/TT-LOGS-MISSING?')).toBe(true);
    expect(contextFromSearch(href.slice(href.indexOf('?')))).toEqual({
      service: 'checkout & co',
      signal: 'logs',
      verdict: 'missing',
      datasource: 'Loki (prod)',
      datasourceUid: 'LOKI',
      query: '{service_name="checkout & co"}',
      from: '2026-11-27T02:00:00.000Z',
      to: '2026-11-28T02:00:00.000Z',
      alternativeLabel: 'job',
    });
  });

  it("leaves an organisation's override untouched and has no link without a runbook", () => {
    const override = { ...cell, runbook: 'https://wiki.example.com/tt?code=TT-LOGS-MISSING' };
    expect(runbookHref({ cell: override, service: 'x', signal: 'logs' })).toBe(
      'https://wiki.example.com/tt?code=TT-LOGS-MISSING'
    );
    expect(runbookHref({ cell: { ...cell, runbook: null }, service: 'x', signal: 'logs' })).toBeNull();
  });

  it('passes the age in seconds and the configured identity label', () => {
    const stale = { ...cell, status: 'stale' as const, ageSeconds: 10920.4, alternativeIdentity: null };
    const href = runbookHref({ cell: stale, service: 'api', signal: 'logs', identityLabel: 'job' })!;
    expect(contextFromSearch(href.slice(href.indexOf('?')))).toMatchObject({
      age: '10920',
      identityLabel: 'job',
      verdict: 'stale',
    });
  });
});
