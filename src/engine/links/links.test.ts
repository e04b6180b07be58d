import { buildExploreUrl, toExploreTime } from './explore';
import { appPath, ROUTES, withRunbookContext } from './routes';

function panesOf(url: string): unknown {
  return JSON.parse(new URL(url, 'http://grafana.local').searchParams.get('panes') ?? 'null');
}

describe('buildExploreUrl', () => {
  it('builds the exact Prometheus URL with a range query', () => {
    const url = buildExploreUrl({
      datasourceUid: 'MIMIR',
      datasourceType: 'prometheus',
      query: 'up{job="api"}',
      from: 1764000000000,
      to: 1764003600000,
    });
    expect(url).toBe(
      '/explore?schemaVersion=1&panes=' +
        encodeURIComponent(
          '{"tt1":{"datasource":"MIMIR","queries":[{"refId":"A","datasource":{"type":"prometheus","uid":"MIMIR"},' +
            '"expr":"up{job=\\"api\\"}","instant":false,"range":true}],"range":{"from":"1764000000000","to":"1764003600000"}}}'
        ).replace(/%20/g, '+') +
        '&orgId=1'
    );
  });

  it('uses Loki range queries and Grafana sub-path and org', () => {
    const url = buildExploreUrl({
      appSubUrl: '/grafana/',
      orgId: 3,
      datasourceUid: 'LOKI',
      datasourceType: 'loki',
      query: '{service_name="scanium-backend"}',
      from: 'now-24h',
      to: 'now',
    });
    expect(url.startsWith('/grafana/explore?schemaVersion=1&panes=')).toBe(true);
    expect(url.endsWith('&orgId=3')).toBe(true);
    expect(panesOf(url)).toEqual({
      tt1: {
        datasource: 'LOKI',
        queries: [
          {
            refId: 'A',
            datasource: { type: 'loki', uid: 'LOKI' },
            expr: '{service_name="scanium-backend"}',
            queryType: 'range',
          },
        ],
        range: { from: 'now-24h', to: 'now' },
      },
    });
  });

  it('uses TraceQL for Tempo and converts ISO windows to epoch-ms strings', () => {
    const url = buildExploreUrl({
      datasourceUid: 'a/b c',
      datasourceType: 'tempo',
      query: '{ resource.service.name = "x" }',
      from: '2026-11-28T00:00:00.000Z',
      to: '2026-11-28T01:00:00.000Z',
    });
    expect(panesOf(url)).toEqual({
      tt1: {
        datasource: 'a/b c',
        queries: [
          {
            refId: 'A',
            datasource: { type: 'tempo', uid: 'a/b c' },
            queryType: 'traceql',
            query: '{ resource.service.name = "x" }',
          },
        ],
        range: { from: String(Date.UTC(2026, 10, 28, 0)), to: String(Date.UTC(2026, 10, 28, 1)) },
      },
    });
  });

  it('falls back to the last hour when the window is missing or unparseable', () => {
    expect(toExploreTime(undefined, 'now-1h')).toBe('now-1h');
    expect(toExploreTime('yesterday-ish', 'now')).toBe('now');
    expect(toExploreTime('now-15m', 'now')).toBe('now-15m');
  });
});

describe('appPath', () => {
  it('builds deep links that escape user-derived values', () => {
    expect(appPath(ROUTES.Truth, { service: 'shop/checkout & co', signal: 'logs' })).toBe(
      '/a/scanium-telemetrytruth-app/truth?service=shop%2Fcheckout+%26+co&signal=logs'
    );
    expect(appPath(ROUTES.Truth, {})).toBe('/a/scanium-telemetrytruth-app/truth');
    expect(appPath(ROUTES.Datasource, { uid: 'a/b' }, 'https://g.example.com/')).toBe(
      'https://g.example.com/a/scanium-telemetrytruth-app/datasource/a%2Fb'
    );
    expect(appPath(ROUTES.Runbook, { code: 'TT-LOGS-EMPTY', query: { service: 'api', datasource: undefined } })).toBe(
      '/a/scanium-telemetrytruth-app/runbooks/TT-LOGS-EMPTY?service=api'
    );
    expect(appPath(ROUTES.Configuration, {})).toBe('/a/scanium-telemetrytruth-app/configuration');
  });
});

describe('withRunbookContext', () => {
  it('adds the failing check to built-in runbook links only', () => {
    expect(
      withRunbookContext('/a/scanium-telemetrytruth-app/runbooks/TT-LOGS-EMPTY', {
        service: 'scanium-backend',
        signal: 'logs',
        datasourceUid: 'LOKI',
        query: '{service_name="scanium-backend"}',
        age: undefined,
      })
    ).toBe(
      '/a/scanium-telemetrytruth-app/runbooks/TT-LOGS-EMPTY?service=scanium-backend&signal=logs&datasourceUid=LOKI&query=%7Bservice_name%3D%22scanium-backend%22%7D'
    );
    expect(withRunbookContext('https://wiki.example.com/rb?x=1', { service: 'a' })).toBe(
      'https://wiki.example.com/rb?x=1'
    );
    expect(withRunbookContext('//evil.example.com/a/scanium-telemetrytruth-app/runbooks/X', { service: 'a' })).toBe(
      '//evil.example.com/a/scanium-telemetrytruth-app/runbooks/X'
    );
  });
});
