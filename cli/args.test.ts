import { parseCliArgs, parseDuration, shouldUseColor } from './args';

const GRAFANA = ['check', '--grafana-url', 'http://localhost:3000/'];

function options(argv: string[], env: Record<string, string | undefined> = {}) {
  const parsed = parseCliArgs(argv, env);
  if (!('command' in parsed) || parsed.command !== 'check') {
    throw new Error(`expected check, got ${JSON.stringify(parsed)}`);
  }
  return parsed.options;
}

describe('parseCliArgs', () => {
  it('parses a full check command, repeatable flags and durations', () => {
    const o = options([
      ...GRAFANA,
      '--service',
      'scanium-backend',
      '--service',
      'we"ird svc',
      '--identity',
      'logs=source',
      '--freshness',
      'logs=15m',
      '--freshness',
      'traces=1h30m',
      '--lookback',
      '48h',
      '--timeout',
      '500ms',
      '--concurrency',
      '4',
      '--format',
      'junit',
      '--out',
      'report.xml',
      '--no-color',
    ]);
    expect(o).toMatchObject({
      grafanaUrl: 'http://localhost:3000',
      services: ['scanium-backend', 'we"ird svc'],
      identity: { logs: 'source' },
      freshnessSeconds: { logs: 900, traces: 5400 },
      lookbackSeconds: 172800,
      timeoutMs: 500,
      concurrency: 4,
      format: 'junit',
      out: 'report.xml',
      noColor: true,
      envToken: null,
      tokenFile: null,
    });
  });

  it('defaults to text and reads the token from GRAFANA_TOKEN', () => {
    const o = options(GRAFANA, { GRAFANA_TOKEN: ' glsa_secret \n' });
    expect(o.format).toBe('text');
    expect(o.envToken).toBe('glsa_secret');
    expect(o.services).toEqual([]);
  });

  it('accepts direct mode without Grafana, with repeatable backend URLs and a tenant', () => {
    const o = options([
      'check',
      '--prometheus',
      'http://mimir:9009/prometheus/',
      '--loki',
      'http://loki:3100',
      '--loki',
      'http://loki2:3100',
      '--tenant',
      'acme',
    ]);
    expect(o.grafanaUrl).toBeNull();
    expect(o.direct).toEqual({
      prometheus: ['http://mimir:9009/prometheus'],
      loki: ['http://loki:3100', 'http://loki2:3100'],
      tempo: [],
    });
    expect(o.tenant).toBe('acme');
  });

  it.each([
    [[], /missing command/],
    [['frobnicate'], /unknown command/],
    [['check'], /needs --grafana-url/],
    [[...GRAFANA, '--format', 'html'], /--format must be one of text, json, markdown, junit/],
    [[...GRAFANA, '--identity', 'logs'], /--identity expects signal=value/],
    [[...GRAFANA, '--identity', 'profiles=x'], /--identity expects signal=value/],
    [[...GRAFANA, '--identity', 'logs={job="x"}'], /a label name is/],
    [[...GRAFANA, '--freshness', 'logs=soon'], /not a positive duration/],
    [[...GRAFANA, '--lookback', '0s'], /--lookback/],
    [[...GRAFANA, '--timeout', '-1s'], /--timeout/],
    [[...GRAFANA, '--concurrency', '0'], /--concurrency must be an integer/],
    [[...GRAFANA, '--bogus'], /Unknown option '--bogus'/],
    [[...GRAFANA, '--timeout'], /argument missing/],
    [['check', '--grafana-url', 'ftp://grafana'], /must be an http\(s\) URL/],
    [['check', '--grafana-url', 'not a url'], /must be an http\(s\) URL/],
    [['check', '--loki', 'http://loki:3100?x=1'], /query string/],
    [['explain'], /exactly one verdict code/],
    [[...GRAFANA, 'extra'], /no positional arguments/],
  ])('rejects %j with a usage error', (argv, message) => {
    const parsed = parseCliArgs(argv as string[], {});
    expect('usageError' in parsed && parsed.usageError).toMatch(message);
  });

  it('never echoes a secret mistakenly passed on the command line', () => {
    for (const argv of [
      ['check', '--grafana-url', 'http://admin:s3cr3tpw@grafana:3000'],
      [...GRAFANA, '--token=glsa_s3cr3tpw'],
      [...GRAFANA, '--token', 'glsa_s3cr3tpw'],
      ['glsa_s3cr3tpw'],
      [...GRAFANA, 'glsa_s3cr3tpw'],
    ]) {
      const parsed = parseCliArgs(argv, {});
      expect('usageError' in parsed).toBe(true);
      expect(JSON.stringify(parsed)).not.toContain('s3cr3tpw');
    }
    const token = parseCliArgs([...GRAFANA, '--token', 'x'], {});
    expect(token).toMatchObject({ hint: 'Set GRAFANA_TOKEN or pass --token-file FILE.' });
  });

  it('recognises help, version and explain', () => {
    expect(parseCliArgs(['--help'], {})).toEqual({ command: 'help' });
    expect(parseCliArgs(['check', '-h'], {})).toEqual({ command: 'help' });
    expect(parseCliArgs(['help'], {})).toEqual({ command: 'help' });
    expect(parseCliArgs(['--version'], {})).toEqual({ command: 'version' });
    expect(parseCliArgs(['explain', 'tt-logs-missing'], {})).toEqual({
      command: 'explain',
      code: 'TT-LOGS-MISSING',
      service: null,
    });
    expect(parseCliArgs(['explain', 'TT-LOGS-MISSING', '--service', 'checkout'], {})).toMatchObject({
      service: 'checkout',
    });
  });
});

describe('parseDuration', () => {
  it.each([
    ['10s', 10],
    ['5m', 300],
    ['1h30m', 5400],
    ['24h', 86400],
    ['7d', 604800],
    ['500ms', 0.5],
    ['90', 90],
  ])('%s → %d s', (text, seconds) => expect(parseDuration(text)).toBe(seconds));
  it.each(['', '5 minutes', 'm5', '1.5.2s', '-3s'])('%j is not a duration', (text) =>
    expect(parseDuration(text)).toBeUndefined()
  );
});

describe('shouldUseColor', () => {
  it('colours only a TTY, unless disabled by flag, NO_COLOR or TERM=dumb, or forced by FORCE_COLOR', () => {
    expect(shouldUseColor(false, {}, true)).toBe(true);
    expect(shouldUseColor(false, {}, false)).toBe(false);
    expect(shouldUseColor(true, {}, true)).toBe(false);
    expect(shouldUseColor(false, { NO_COLOR: '1' }, true)).toBe(false);
    expect(shouldUseColor(false, { NO_COLOR: '' }, true)).toBe(true);
    expect(shouldUseColor(false, { TERM: 'dumb' }, true)).toBe(false);
    expect(shouldUseColor(false, { FORCE_COLOR: '1' }, false)).toBe(true);
    expect(shouldUseColor(false, { FORCE_COLOR: '1', NO_COLOR: '1' }, false)).toBe(true);
    expect(shouldUseColor(false, { FORCE_COLOR: '0' }, true)).toBe(false);
    expect(shouldUseColor(true, { FORCE_COLOR: '1' }, true)).toBe(false);
  });
});
