/**
 * EMULATOR — not a real server: broken "upstreams" that misbehave the way real deployments do
 * (backend-apis.md §6 traps 4–6, user-stack.md FM list):
 *  - `html`: a reverse proxy answering every path with a 200 HTML login page;
 *  - `truncated-json`: 200 application/json whose body stops mid-document (proxy buffer cut);
 *  - `hang`: accepts the connection and never answers;
 *  - `headers-then-hang`: sends 200 + headers, then never sends the body;
 *  - `status`: a fixed status + body (429 `Too Many Requests`, 503 `Service Unavailable`, 401 …).
 * Each records its requests.
 */
import { listen, recording, type LoggedRequest, type RunningServer } from './http';

export type FaultKind = 'html' | 'truncated-json' | 'hang' | 'headers-then-hang' | 'status';

export interface FaultOptions {
  /** For `status`: default 429. */
  status?: number;
  /** For `status`: default per status (text/plain like Loki/Tempo). */
  body?: string;
  contentType?: string;
  /** Paths that answer normally (e.g. `/ready`) with 200 `ready`. */
  healthyPaths?: string[];
}

export interface FaultServer extends RunningServer {
  kind: FaultKind;
  requests: LoggedRequest[];
}

export const HTML_LOGIN_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in · Access</title></head>
<body>
<form method="post" action="/cdn-cgi/access/login"><h1>Sign in to continue</h1>
<input type="email" name="email"><button type="submit">Send me a code</button></form>
</body>
</html>
`;

const DEFAULT_BODIES: Record<number, string> = {
  429: 'Too Many Requests\n',
  500: 'Internal Server Error\n',
  503: 'Service Unavailable\n',
  401: 'no org id\n',
  403: 'Forbidden\n',
};

export async function startFaultServer(kind: FaultKind, opts: FaultOptions = {}): Promise<FaultServer> {
  const requests: LoggedRequest[] = [];
  const server = await listen(
    recording(requests, (req, res, url) => {
      if (opts.healthyPaths?.includes(url.pathname)) {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ready');
        return;
      }
      switch (kind) {
        case 'html':
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          res.end(HTML_LOGIN_PAGE);
          return;
        case 'truncated-json': {
          const body = '{"status":"success","data":{"resultType":"streams","result":[{"stream":{"service_name":"scanium-backend"},"values":[["17640001234567';
          // Content-Length matches what is sent: the JSON itself is cut (a proxy buffer limit), not the socket.
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
          res.end(body);
          return;
        }
        case 'hang':
          // Never answer; the socket is destroyed when the server closes.
          req.on('close', () => undefined);
          return;
        case 'headers-then-hang':
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.flushHeaders();
          return;
        case 'status': {
          const status = opts.status ?? 429;
          const body = opts.body ?? DEFAULT_BODIES[status] ?? `HTTP ${status}\n`;
          res.writeHead(status, { 'Content-Type': opts.contentType ?? 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
          res.end(body);
          return;
        }
      }
    })
  );
  return { ...server, kind, requests };
}
