/** @jest-environment node */
import http from 'http';
import { AddressInfo } from 'net';
import { createDirectTransport } from './direct';
import { createGrafanaProxyTransport } from './grafana-proxy';
import { DatasourceRef, TransportError } from '../model';

interface Seen {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
}

let server: http.Server;
let base: string;
const seen: Seen[] = [];
let reply: (req: http.IncomingMessage, res: http.ServerResponse) => void;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    reply(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
});

const loki: DatasourceRef = { uid: 'lo ki/1', name: 'Loki', type: 'loki', tenant: 'team-a' };
const signal = () => new AbortController().signal;

describe('grafana proxy transport', () => {
  it('calls the proxy path with the encoded uid, params and bearer token, GET only', async () => {
    reply = (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"status":"success","data":["job"]}');
    };
    const t = createGrafanaProxyTransport({ grafanaUrl: `${base}/grafana/`, token: 'glsa_abc' });
    const r = await t.request({
      datasource: loki,
      path: 'loki/api/v1/labels',
      params: { start: '1', end: '2', 'match[]': ['{a="1"}', '{b="2"}'] },
      method: 'POST',
      signal: signal(),
    });
    expect(r).toEqual({ status: 200, body: { status: 'success', data: ['job'] }, contentType: 'application/json' });
    expect(seen[0].method).toBe('GET');
    expect(seen[0].url).toBe(
      '/grafana/api/datasources/proxy/uid/lo%20ki%2F1/loki/api/v1/labels?start=1&end=2&match%5B%5D=%7Ba%3D%221%22%7D&match%5B%5D=%7Bb%3D%222%22%7D'
    );
    expect(seen[0].headers.authorization).toBe('Bearer glsa_abc');
    // Grafana adds tenant headers itself in proxy mode.
    expect(seen[0].headers['x-scope-orgid']).toBeUndefined();
  });

  it('keeps non-JSON bodies as text and passes any status through', async () => {
    reply = (_req, res) => {
      res.statusCode = 502;
      res.end();
    };
    const t = createGrafanaProxyTransport({ grafanaUrl: base });
    expect(await t.request({ datasource: loki, path: 'x', signal: signal() })).toMatchObject({ status: 502, body: '' });
    reply = (_req, res) => res.end('{"status":"succ');
    expect(await t.request({ datasource: loki, path: 'x', signal: signal() })).toMatchObject({
      status: 200,
      body: '{"status":"succ',
    });
    expect(seen[1].headers.authorization).toBeUndefined();
  });

  it('does not follow redirects (the token must not travel to a login page)', async () => {
    reply = (_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', 'http://elsewhere.invalid/login');
      res.end();
    };
    const t = createGrafanaProxyTransport({ grafanaUrl: base, token: 't' });
    expect((await t.request({ datasource: loki, path: 'x', signal: signal() })).status).toBe(302);
  });
});

describe('direct transport', () => {
  it('joins base URL with a path prefix and sends the tenant header', async () => {
    reply = (_req, res) => res.end('ready');
    const t = createDirectTransport({ urls: { 'lo ki/1': `${base}/prometheus/` } });
    const r = await t.request({ datasource: loki, path: '/api/v1/query', params: { query: 'up' }, signal: signal() });
    expect(r.body).toBe('ready');
    expect(seen[0].url).toBe('/prometheus/api/v1/query?query=up');
    expect(seen[0].headers['x-scope-orgid']).toBe('team-a');
  });

  it('rejects a refused connection with TransportError network', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const t = createDirectTransport({ urls: { 'lo ki/1': `http://user:pw@127.0.0.1:${port}` } });
    const err = await t.request({ datasource: loki, path: 'ready', signal: signal() }).catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.kind).toBe('network');
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.message).not.toContain('pw');
  });

  it('rejects with aborted when the signal fires while the server hangs', async () => {
    reply = () => undefined; // never answers
    const t = createDirectTransport({ urls: { 'lo ki/1': base } });
    const controller = new AbortController();
    const p = t.request({ datasource: loki, path: 'hang', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const err = await p.catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.kind).toBe('aborted');
  });

  it('rejects an unknown datasource uid', async () => {
    const t = createDirectTransport({ urls: {} });
    await expect(t.request({ datasource: loki, path: 'x', signal: signal() })).rejects.toBeInstanceOf(TransportError);
  });
});
