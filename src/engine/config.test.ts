/** @jest-environment node */
import { DEFAULT_CONFIG, parseConfig, toUserConfig } from './config';

describe('parseConfig', () => {
  it('an empty document is the default configuration (discovery mode)', () => {
    expect(parseConfig(undefined)).toEqual({ ok: true, config: DEFAULT_CONFIG });
    expect(parseConfig({})).toEqual({ ok: true, config: DEFAULT_CONFIG });
  });

  it('normalises durations, identity shorthands and per-service overrides', () => {
    const r = parseConfig({
      services: [
        'scanium-backend',
        { name: 'mobile', signals: ['logs'], identity: { logs: 'source', traces: { selector: '{ .app = "m" }' } } },
      ],
      identity: { logs: 'source', metrics: { label: 'service' } },
      freshness: { logs: '15m', traces: 1200 },
      lookback: '2d',
      timeout: '2.5s',
      concurrency: 4,
      datasources: { exclude: ['old-loki'] },
      runbookUrls: { 'TT-LOGS-MISSING': 'https://wiki.example/logs-missing' },
    });
    expect(r).toEqual({
      ok: true,
      config: {
        services: [
          { name: 'scanium-backend' },
          {
            name: 'mobile',
            signals: ['logs'],
            identity: { logs: { label: 'source' }, traces: { selector: '{ .app = "m" }' } },
          },
        ],
        identity: { metrics: { label: 'service' }, logs: { label: 'source' }, traces: { label: 'service.name' } },
        freshnessSeconds: { metrics: 300, logs: 900, traces: 1200 },
        lookbackSeconds: 172800,
        datasources: { include: [], exclude: ['old-loki'] },
        timeoutMs: 2500,
        concurrency: 4,
        runbookUrls: { 'TT-LOGS-MISSING': 'https://wiki.example/logs-missing' },
      },
    });
  });

  it('reports every problem with a path into the document', () => {
    const r = parseConfig({
      services: ['ok', { name: 'b', identity: { logs: 5 } }, { name: 'c', signals: ['log'] }, ''],
      lookback: 'a day',
      concurrency: 0,
      freshness: { logz: '5m' },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e.message]));
      expect(byPath['services[1].identity.logs']).toMatch(/label name/);
      expect(byPath['services[2].signals[0]']).toMatch(/metrics.*logs.*traces/);
      expect(byPath['services[3]']).toMatch(/must not be empty/);
      expect(byPath.lookback).toMatch(/duration like "30s"/);
      expect(byPath.concurrency).toMatch(/at least 1/);
      expect(byPath.freshness).toMatch(/unknown key "logz"/);
    }
  });

  it('rejects duplicates, freshness beyond the lookback, unknown runbook codes and script URLs', () => {
    const r = parseConfig({ services: ['a', 'a'], freshness: { logs: '2d' } });
    expect(r.ok || r.errors).toEqual([
      { path: 'freshness.logs', message: 'freshness (2d) must not exceed the lookback (1d)' },
      { path: 'services[1].name', message: 'duplicate service "a" (also services[0])' },
    ]);
    const codes = parseConfig({ runbookUrls: { 'TT-NOPE': '/x' } });
    expect(!codes.ok && codes.errors[0].path).toBe('runbookUrls.TT-NOPE');
    const js = parseConfig({ runbookUrls: { 'TT-LOGS-MISSING': 'javascript:alert(1)' } });
    expect(!js.ok && js.errors[0].path).toBe('runbookUrls.TT-LOGS-MISSING');
  });

  it('reports unknown top-level keys unless the caller allows them (app jsonData)', () => {
    expect(parseConfig({ lookbak: '1h' })).toEqual({
      ok: false,
      errors: [{ path: '', message: 'unknown key "lookbak"' }],
    });
    expect(parseConfig({ somethingElse: true }, { allowUnknownKeys: true }).ok).toBe(true);
  });
});

describe('toUserConfig', () => {
  it('round-trips through parseConfig and leaves defaults out', () => {
    const input = {
      services: ['a', { name: 'b', signals: ['logs'], identity: { logs: 'source', traces: { selector: '{x}' } } }],
      identity: { logs: 'source' },
      freshness: { logs: '15m' },
      timeout: '30s',
      lookback: '6h',
    };
    const r = parseConfig(input);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(toUserConfig(r.config)).toEqual(input);
      expect(parseConfig(toUserConfig(r.config))).toEqual(r);
    }
    expect(toUserConfig(DEFAULT_CONFIG)).toEqual({});
  });
});
