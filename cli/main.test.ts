/** @jest-environment node */
import { main, withFlags } from './main';
import { EXIT } from './exit';

const TOKEN = 'glsa_TopSecretToken_123456';

function harness(
  fetchImpl?: (url: string, init?: RequestInit) => Promise<Response>,
  files: Record<string, string> = {}
) {
  const out: string[] = [];
  const err: string[] = [];
  const requests: Array<{ url: string; auth: string | null }> = [];
  const io = {
    env: {} as Record<string, string | undefined>,
    stdout: { write: (s: string) => out.push(s), isTTY: false },
    stderr: { write: (s: string) => err.push(s) },
    fetch: async (url: string, init?: RequestInit) => {
      requests.push({ url, auth: new Headers(init?.headers).get('authorization') });
      if (!fetchImpl) {
        throw new Error('no network in this test');
      }
      return fetchImpl(url, init);
    },
    readFile: async (path: string) => {
      if (!(path in files)) {
        throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
      }
      return files[path];
    },
    writeFile: async () => undefined,
  };
  return { io, out: () => out.join(''), err: () => err.join(''), requests };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('main', () => {
  it('prints help and version on stdout with exit 0', async () => {
    const h = harness();
    expect(await main(['--help'], h.io)).toBe(EXIT.ok);
    expect(h.out()).toContain('Exit codes:');
    expect(h.out()).toContain('not_configured');
    const v = harness();
    expect(await main(['--version'], v.io)).toBe(EXIT.ok);
    expect(v.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('explains a verdict code offline with its runbook, and lists the codes for an unknown one', async () => {
    const h = harness();
    expect(await main(['explain', 'tt-logs-missing'], h.io)).toBe(EXIT.ok);
    expect(h.out()).toMatch(/^# TT-LOGS-MISSING — /);
    expect(h.out()).toContain('## Fix');
    expect(h.requests).toEqual([]);
    expect(h.out()).toContain('{{service}}');
    // With --service the query placeholders are filled, escaped for the query language they sit in.
    const filled = harness();
    expect(await main(['explain', 'TT-LOGS-MISSING', '--service', 'we"ird'], filled.io)).toBe(EXIT.ok);
    expect(filled.out()).toContain('count_over_time({job="we\\"ird"}[1h])');
    expect(filled.out()).not.toContain('{{service}}');
    const unknown = harness();
    expect(await main(['explain', 'TT-NOPE'], unknown.io)).toBe(EXIT.usage);
    expect(unknown.out()).toBe('');
    expect(unknown.err()).toContain('TT-UNREACHABLE');
  });

  it('exits 2 on a usage error, with the message and a hint on stderr and nothing on stdout', async () => {
    const h = harness();
    expect(await main(['check', '--format', 'pdf', '--grafana-url', 'http://g'], h.io)).toBe(EXIT.usage);
    expect(h.out()).toBe('');
    expect(h.err()).toContain('--format must be one of');
    expect(h.err()).toContain('--help');
  });

  it('exits 2 on an invalid or unreadable config file, naming the path and field', async () => {
    const bad = harness(undefined, { 'tt.yaml': 'services:\n  - name: api\nfreshness:\n  logs: soon\n' });
    expect(await main(['check', '--grafana-url', 'http://g', '--config', 'tt.yaml'], bad.io)).toBe(EXIT.usage);
    expect(bad.err()).toContain('freshness.logs');
    expect(bad.requests).toEqual([]);
    const missing = harness();
    expect(await main(['check', '--grafana-url', 'http://g', '--config', 'nope.yaml'], missing.io)).toBe(EXIT.usage);
    expect(missing.err()).toContain('cannot read --config nope.yaml: ENOENT');
    const yaml = harness(undefined, { 'x.yaml': 'services: [a\n' });
    expect(await main(['check', '--grafana-url', 'http://g', '--config', 'x.yaml'], yaml.io)).toBe(EXIT.usage);
    expect(yaml.err()).toContain('not valid YAML or JSON');
  });

  it('exits 3 when Grafana cannot be reached', async () => {
    const h = harness(async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    });
    expect(await main(['check', '--grafana-url', 'http://127.0.0.1:9'], h.io)).toBe(EXIT.grafana);
    expect(h.err()).toContain('cannot reach Grafana at http://127.0.0.1:9: ECONNREFUSED');
    expect(h.out()).toBe('');
  });

  it('exits 3 when Grafana rejects the token, and never prints the token', async () => {
    const h = harness(async (url) =>
      url.endsWith('/api/health')
        ? json(200, { database: 'ok', version: '10.3.1' })
        : json(401, { message: `invalid API key ${TOKEN}` })
    );
    h.io.env.GRAFANA_TOKEN = TOKEN;
    expect(await main(['check', '--grafana-url', 'http://grafana:3000', '--service', 'api'], h.io)).toBe(EXIT.grafana);
    expect(h.err()).toContain('Grafana rejected the token (HTTP 401 from /api/frontend/settings)');
    expect(h.out() + h.err()).not.toContain(TOKEN);
    // It was sent, as a bearer token, only to Grafana's own API.
    expect(h.requests.map((r) => [r.url, r.auth])).toEqual([
      ['http://grafana:3000/api/health', null],
      ['http://grafana:3000/api/frontend/settings', `Bearer ${TOKEN}`],
    ]);
  });

  it('reads the token from --token-file, never echoing it, and says when no token was given', async () => {
    const h = harness(
      async (url) => (url.endsWith('/api/health') ? json(200, {}) : json(403, { message: 'forbidden' })),
      { tok: `${TOKEN}\n` }
    );
    expect(await main(['check', '--grafana-url', 'http://g', '--token-file', 'tok'], h.io)).toBe(EXIT.grafana);
    expect(h.requests[1].auth).toBe(`Bearer ${TOKEN}`);
    expect(h.out() + h.err()).not.toContain(TOKEN);
    const anon = harness(async (url) =>
      url.endsWith('/api/health') ? json(200, {}) : json(401, { message: 'Unauthorized' })
    );
    expect(await main(['check', '--grafana-url', 'http://g'], anon.io)).toBe(EXIT.grafana);
    expect(anon.err()).toContain('set GRAFANA_TOKEN or pass --token-file');
    const empty = harness(undefined, { tok: '\n' });
    expect(await main(['check', '--grafana-url', 'http://g', '--token-file', 'tok'], empty.io)).toBe(EXIT.usage);
  });

  it('exits 3 when Grafana answers /api/health with 503', async () => {
    const h = harness(async () => json(503, { database: 'failing' }));
    expect(await main(['check', '--grafana-url', 'http://g'], h.io)).toBe(EXIT.grafana);
    expect(h.err()).toContain('/api/health answered HTTP 503');
  });
});

describe('withFlags', () => {
  const base = {
    grafanaUrl: 'http://g',
    configFile: null,
    format: 'text' as const,
    out: null,
    tokenFile: null,
    envToken: null,
    direct: { prometheus: [], loki: [], tempo: [] },
    tenant: null,
    noColor: false,
    services: [] as string[],
    identity: {},
    freshnessSeconds: {},
    lookbackSeconds: null,
    timeoutMs: null,
    concurrency: null,
  };

  it('lets flags override the file while keeping per-service settings from the file', () => {
    const doc = {
      services: [{ name: 'api', identity: { logs: 'app' } }, 'web'],
      identity: { metrics: 'service' },
      freshness: { metrics: '1m' },
      lookback: '6h',
    };
    const merged = withFlags(doc, {
      ...base,
      services: ['api', 'worker'],
      identity: { logs: 'source' },
      freshnessSeconds: { logs: 900 },
      timeoutMs: 2500,
    });
    expect(merged).toEqual({
      services: [{ name: 'api', identity: { logs: 'app' } }, 'worker'],
      identity: { metrics: 'service', logs: 'source' },
      freshness: { metrics: '1m', logs: 900 },
      lookback: '6h',
      timeout: 2.5,
    });
  });

  it('leaves the file untouched without flags', () => {
    const doc = { services: ['a'], lookback: '6h' };
    expect(withFlags(doc, base)).toEqual(doc);
  });
});
