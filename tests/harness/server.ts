/**
 * HARNESS HOST SERVER — stands in for the Grafana server's static/frontend part, NOT Grafana.
 *
 *  - `/public/plugins/scanium-telemetrytruth-app/**` → the built `dist/` (module.js, lazy chunks, nested panel);
 *  - `/api/**` → reverse-proxied to the Grafana API EMULATOR of a test world (tests/worlds), so the page is
 *    same-origin like in Grafana; without a world a tiny in-memory stub answers the two calls the shell needs;
 *  - `/harness/shell.js` → the shell bundled from the chosen line's npm packages (tests/harness/build-shell.ts);
 *  - any other GET → the shell page: `<base href="${subUrl}/">`, `window.grafanaBootData` (settings from the world's
 *    `/api/frontend/settings`, buildInfo.version of the line, user role and theme from `?role=` / `?theme=`).
 *
 * Run by hand: `npx tsx tests/harness/server.ts --line 10.3 [--grafana-url http://127.0.0.1:NNNN] [--port 3001]
 * [--app-sub-url /grafana]`.
 */
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { buildShell } from './build-shell';
import { isLineName, LINES, repoRoot, type LineName } from './lines';

export const PLUGIN_ID = 'scanium-telemetrytruth-app';

export interface HarnessServerOptions {
  line: LineName;
  /** Base URL of the Grafana API emulator (a world). Without it, a stub answers settings calls. */
  grafanaUrl?: string;
  /** Bearer token the proxy adds to API calls (a real browser session would carry a cookie instead). */
  token?: string;
  port?: number;
  distDir?: string;
  /**
   * Serve Grafana from a sub-path (`[server] root_url = …/grafana/`, `serve_from_sub_path = true`), e.g.
   * '/grafana'. Every page, API and plugin URL then lives under it; requests outside it get 404.
   */
  appSubUrl?: string;
}

export interface HarnessServer {
  /** Origin + appSubUrl (no trailing slash). */
  url: string;
  line: LineName;
  grafanaVersion: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.md': 'text/markdown; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

const SPINNER_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2a10 10 0 1 0 10 10h-2a8 8 0 1 1-8-8z"/></svg>';

type Role = 'Admin' | 'Editor' | 'Viewer';

/** Plugin meta Grafana attaches to each datasource in frontend settings (only the flags the plugin reads). */
const DS_META: Record<string, Record<string, unknown>> = {
  prometheus: { id: 'prometheus', name: 'Prometheus', type: 'datasource', metrics: true, alerting: true },
  loki: { id: 'loki', name: 'Loki', type: 'datasource', logs: true, metrics: true, alerting: true },
  tempo: { id: 'tempo', name: 'Tempo', type: 'datasource', tracing: true },
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function getJson(url: string, token?: string): Promise<unknown> {
  const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    throw new Error(`${url} answered ${res.status}`);
  }
  return res.json();
}

function snapshotDir(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string, rel: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        walk(abs, relPath);
      } else if (entry.isFile()) {
        files.set(relPath, readFileSync(abs));
      }
    }
  };
  walk(root, '');
  return files;
}

function escapeForScript(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export async function startHarnessServer(opts: HarnessServerOptions): Promise<HarnessServer> {
  const distDir = opts.distDir ?? join(repoRoot, 'dist');
  if (!existsSync(join(distDir, 'module.js'))) {
    throw new Error(`${distDir}/module.js is missing: run "npm run build" first`);
  }
  const shell = await buildShell(opts.line);
  const subUrl = (opts.appSubUrl ?? '').replace(/\/+$/, '');
  if (subUrl && !/^\/[A-Za-z0-9._~/-]+$/.test(subUrl)) {
    throw new Error(`appSubUrl must look like /grafana, not ${opts.appSubUrl}`);
  }
  // dist/ is read once, at start: a rebuild running meanwhile (other people share this tree) cannot hand the
  // browser a module.js from one build and chunks from another.
  const distFiles = snapshotDir(distDir);
  const line = LINES[opts.line];
  const vendorCss = line.vendorCss
    .map((rel) => join(line.root, 'node_modules', rel))
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  const iconRoots = [shell.publicDir, join(LINES.current.root, 'node_modules', '@grafana', 'ui', 'dist', 'public')]
    .map((d) => join(d, 'img', 'icons'))
    .filter((d) => existsSync(d));
  function findIcon(rel: string): string | undefined {
    for (const root of iconRoots) {
      const file = normalize(join(root, rel));
      if (file.startsWith(root + sep) && existsSync(file)) {
        return file;
      }
    }
    const base = rel.split('/').pop() ?? '';
    for (const root of iconRoots) {
      for (const sub of ['unicons', 'custom', 'mono', 'solid']) {
        const file = join(root, sub, base);
        if (existsSync(file)) {
          return file;
        }
      }
    }
    return undefined;
  }

  // Stub used only when no world is attached (smoke tests of loading).
  let stubJsonData: Record<string, unknown> = {};

  async function bootData(role: Role, theme: 'light' | 'dark') {
    let settings: Record<string, unknown> = { datasources: {} };
    if (opts.grafanaUrl) {
      const s = await getJson(`${opts.grafanaUrl}/api/frontend/settings`, opts.token);
      if (isRecord(s)) {
        settings = s;
      }
    }
    const datasources: Record<string, unknown> = {};
    const dsIn = isRecord(settings.datasources) ? settings.datasources : {};
    for (const [name, ds] of Object.entries(dsIn)) {
      if (!isRecord(ds)) {
        continue;
      }
      const type = typeof ds.type === 'string' ? ds.type : '';
      datasources[name] = {
        name,
        access: 'proxy',
        jsonData: {},
        readOnly: false,
        ...ds,
        meta: { ...(DS_META[type] ?? { id: type, name: type, type: 'datasource' }), ...(isRecord(ds.meta) ? ds.meta : {}) },
      };
    }
    const permissions: Record<string, boolean> =
      role === 'Viewer'
        ? { 'datasources:read': true }
        : { 'datasources:read': true, 'datasources:explore': true, 'datasources:query': true, 'plugins:write': role === 'Admin' };
    return {
      settings: {
        ...settings,
        datasources,
        appSubUrl: subUrl,
        appUrl: `${subUrl}/`,
        buildInfo: {
          version: shell.grafanaVersion,
          commit: 'harness',
          env: 'production',
          edition: 'Open Source',
          buildstamp: 0,
          latestVersion: '',
          hasUpdate: false,
          hideVersion: false,
          versionString: `Grafana v${shell.grafanaVersion} (harness)`,
        },
        featureToggles: isRecord(settings.featureToggles) ? settings.featureToggles : {},
        panels: {},
        apps: {},
      },
      user: {
        id: 1,
        uid: 'harness-user',
        login: role.toLowerCase(),
        name: role,
        email: `${role.toLowerCase()}@example.invalid`,
        orgId: 1,
        orgName: 'Main Org.',
        orgRole: role,
        isGrafanaAdmin: role === 'Admin',
        isSignedIn: true,
        theme,
        lightTheme: theme === 'light',
        timezone: 'browser',
        weekStart: 'browser',
        locale: 'en-US',
        language: 'en-US',
        permissions,
      },
      navTree: [],
    };
  }

  function shellHtml(data: unknown, theme: string): string {
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<base href="${subUrl}/">
<title>Telemetry Truth — harness (${opts.line}, Grafana ${shell.grafanaVersion})</title>
<meta name="viewport" content="width=device-width">
<style>${vendorCss.replace(/<\/style/gi, '<\\/style')}</style>
</head>
<body class="theme-${theme}" data-harness-line="${opts.line}">
<div id="reactRoot"></div>
<script>window.grafanaBootData = ${escapeForScript(JSON.stringify(data))};</script>
<script src="harness/shell.js"></script>
</body>
</html>`;
  }

  function serveFile(res: ServerResponse, file: string) {
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': statSync(file).size,
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  }

  function proxy(req: IncomingMessage, res: ServerResponse) {
    const target = new URL(stripSubUrl(req.url ?? '/'), opts.grafanaUrl);
    const headers = { ...req.headers, host: target.host };
    if (opts.token && !headers.authorization) {
      headers.authorization = `Bearer ${opts.token}`;
    }
    const upstream = httpRequest(
      target,
      { method: req.method, headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.statusMessage, up.headers);
        up.pipe(res);
      }
    );
    upstream.on('error', () => {
      if (!res.headersSent) {
        res.writeHead(502, { 'Content-Type': 'text/plain' });
      }
      res.end();
    });
    req.pipe(upstream);
  }

  async function stubApi(req: IncomingMessage, res: ServerResponse, path: string) {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === `/api/plugins/${PLUGIN_ID}/settings`) {
      if (req.method === 'POST') {
        const chunks: Buffer[] = [];
        for await (const c of req) {
          chunks.push(c as Buffer);
        }
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        if (isRecord(body) && isRecord(body.jsonData)) {
          stubJsonData = body.jsonData;
        }
        return json(200, { message: 'Plugin settings updated' });
      }
      return json(200, { id: PLUGIN_ID, type: 'app', enabled: true, pinned: true, jsonData: stubJsonData });
    }
    if (path === '/api/frontend/settings') {
      return json(200, { datasources: {} });
    }
    return json(404, { message: 'Not found (harness stub: no world attached)' });
  }

  function stripSubUrl(raw: string): string {
    return subUrl && (raw === subUrl || raw.startsWith(`${subUrl}/`) || raw.startsWith(`${subUrl}?`))
      ? raw.slice(subUrl.length) || '/'
      : raw;
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://harness.invalid');
    const rawPath = decodeURIComponent(url.pathname);
    if (subUrl && !(rawPath === subUrl || rawPath.startsWith(`${subUrl}/`))) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end(`Not found: Grafana is served from ${subUrl}/`);
      return;
    }
    const path = subUrl ? rawPath.slice(subUrl.length) || '/' : rawPath;
    (async () => {
      if (path === '/harness/shell.js') {
        return serveFile(res, shell.file);
      }
      const prefix = `/public/plugins/${PLUGIN_ID}/`;
      if (path.startsWith(prefix)) {
        const body = distFiles.get(path.slice(prefix.length));
        if (!body) {
          res.writeHead(404, { 'Content-Type': 'text/plain' });
          return res.end('Not found');
        }
        res.writeHead(200, {
          'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
          'Content-Length': body.length,
          'Cache-Control': 'no-store',
        });
        return res.end(body);
      }
      const icon = /^\/public\/(?:build\/)?img\/icons\/(.+\.svg)$/.exec(path);
      if (icon) {
        // Grafana serves @grafana/ui's icon SVGs from its public folder (10.3: public/img, 12+: public/build/img).
        // The npm packages ship most of them in dist/public/img/icons; a few (spinner) are looked up by name.
        const file = findIcon(icon[1]);
        if (file) {
          return serveFile(res, file);
        }
        if (icon[1].endsWith('/spinner.svg')) {
          // Not shipped in the npm packages: a harness-drawn stand-in.
          res.writeHead(200, { 'Content-Type': 'image/svg+xml' });
          return res.end(SPINNER_SVG);
        }
      }
      if (path.startsWith('/public/')) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        return res.end('Not found');
      }
      if (path.startsWith('/api/')) {
        return opts.grafanaUrl ? proxy(req, res) : stubApi(req, res, path);
      }
      if (path === '/favicon.ico') {
        res.writeHead(204);
        return res.end();
      }
      if (req.method !== 'GET') {
        res.writeHead(405);
        return res.end();
      }
      const role = (['Admin', 'Editor', 'Viewer'] as const).find((r) => r === url.searchParams.get('role')) ?? 'Admin';
      const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
      const data = await bootData(role, theme);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(shellHtml(data, theme));
    })().catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
      }
      res.end(`Harness server error: ${e instanceof Error ? e.message : String(e)}`);
    });
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${subUrl}`,
    line: opts.line,
    grafanaVersion: shell.grafanaVersion,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const line = arg('line') ?? '10.3';
  if (!isLineName(line)) {
    process.stderr.write(`--line must be 10.3 or current, not ${line}\n`);
    process.exit(2);
  }
  startHarnessServer({
    line,
    grafanaUrl: arg('grafana-url'),
    token: arg('token'),
    port: Number(arg('port') ?? 0),
    appSubUrl: arg('app-sub-url'),
  })
    .then((s) => {
      process.stdout.write(`${JSON.stringify({ url: s.url, line: s.line, grafanaVersion: s.grafanaVersion })}\n`);
    })
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    });
}
