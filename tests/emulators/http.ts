/**
 * Shared plumbing for the EMULATORS in this folder (not a real server of anything).
 * Loopback-only `node:http` servers on a free port, small response helpers, and a request log.
 * No jest globals: these files also run under `tsx` (tests/worlds/serve.ts).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void | Promise<void>;

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

/** Start a server on 127.0.0.1 with an OS-assigned port. Handler exceptions become a 500 text reply. */
export async function listen(handler: Handler): Promise<RunningServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    Promise.resolve()
      .then(() => handler(req, res, url))
      .catch((err: unknown) => {
        if (!res.headersSent) {
          sendText(res, 500, `emulator internal error: ${err instanceof Error ? err.message : String(err)}`);
        } else {
          res.destroy();
        }
      });
  });
  // Keep-alive sockets must not hold close() open.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close() {
      if (!closed) {
        closed = new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Hung requests (fault servers) and idle keep-alive sockets would keep the server open forever.
          server.closeAllConnections();
        });
      }
      return closed;
    },
  };
}

/** A port on which nothing listens (bound then released). Connection attempts get ECONNREFUSED. */
export async function closedPort(): Promise<number> {
  const s = await listen(() => undefined);
  const port = s.port;
  await s.close();
  return port;
}

export function sendText(res: http.ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  // Encode once: Buffer.byteLength + end(string) would walk a large body (a 300 kB search) twice.
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': bytes.length });
  res.end(bytes);
}

export async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Query parameters the way Go servers see them: URL query merged with an
 * application/x-www-form-urlencoded POST body (r.ParseForm / r.FormValue).
 */
export async function formParams(req: http.IncomingMessage, url: URL): Promise<URLSearchParams> {
  const params = new URLSearchParams(url.searchParams);
  if (req.method === 'POST' && (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    const body = new URLSearchParams((await readBody(req)).toString('utf8'));
    body.forEach((v, k) => params.append(k, v));
  }
  return params;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Parse a Prometheus/Loki duration like `5m`, `1h30m`, `250ms`, `1d`, `2w`, `1y`. Returns milliseconds or null. */
export function parseDurationMs(s: string): number | null {
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += parseFloat(m[1]) * unit[m[2]];
    matched = re.lastIndex;
  }
  return matched === s.length && s.length > 0 ? total : null;
}

/** Compare dotted versions: negative when a < b. `3.2.1` vs `3.2` etc. */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.replace(/^v/, '').split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) {
      return d;
    }
  }
  return 0;
}

export interface LoggedRequest {
  method: string;
  path: string;
  /** Raw query string without `?` */
  query: string;
  status: number;
  /** ms since epoch when the request arrived */
  at: number;
  durationMs: number;
}

/** Wrap a handler so every request is recorded after it completes (for tests and the bench to count). */
export function recording(log: LoggedRequest[], handler: Handler): Handler {
  return async (req, res, url) => {
    const at = Date.now();
    const entry: LoggedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.search.replace(/^\?/, ''), status: 0, at, durationMs: 0 };
    log.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
      entry.durationMs = Date.now() - at;
    });
    res.on('close', () => {
      if (!entry.status) {
        entry.status = res.headersSent ? res.statusCode : 0;
        entry.durationMs = Date.now() - at;
      }
    });
    await handler(req, res, url);
  };
}
