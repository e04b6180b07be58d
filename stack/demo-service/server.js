'use strict';
/**
 * Demo service for the Telemetry Truth dev stack. No dependencies: it speaks OTLP/HTTP with JSON encoding
 * over Node's fetch, serves Prometheus text on /metrics, and writes one JSON log line per request to stdout.
 *
 * Configuration uses the standard OpenTelemetry SDK variables so the incident switch reads like a real
 * misconfiguration:
 *   OTEL_SERVICE_NAME              service.name (default demo-service)
 *   OTEL_EXPORTER_OTLP_ENDPOINT    base URL; /v1/{metrics,logs,traces} is appended.
 *                                  Default http://localhost:4318, the default that bit the seed incident.
 *   OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER / OTEL_TRACES_EXPORTER   otlp | none
 *   OTEL_METRIC_EXPORT_INTERVAL    ms between exports (default 15000)
 *   PORT                           HTTP port (default 8080)
 *   DEMO_TRAFFIC_INTERVAL_MS       ms between self-generated requests (default 1000; 0 = none)
 *   DEMO_CHECKOUT_ERROR_RATIO      share of /api/checkout requests answered 500 (default 0.2)
 */
const http = require('node:http');
const crypto = require('node:crypto');

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const ROUTES = [
  { route: '/api/items', weight: 6 },
  { route: '/api/items/:id', weight: 3 },
  { route: '/api/checkout', weight: 1 },
];

function readConfig(env) {
  const exporter = (name) => ((env[name] || 'otlp').trim().toLowerCase() === 'none' ? 'none' : 'otlp');
  return {
    serviceName: env.OTEL_SERVICE_NAME || 'demo-service',
    endpoint: (env.OTEL_EXPORTER_OTLP_ENDPOINT || 'http://localhost:4318').replace(/\/+$/, ''),
    exporters: {
      metrics: exporter('OTEL_METRICS_EXPORTER'),
      logs: exporter('OTEL_LOGS_EXPORTER'),
      traces: exporter('OTEL_TRACES_EXPORTER'),
    },
    exportIntervalMs: Number(env.OTEL_METRIC_EXPORT_INTERVAL || 15000),
    port: Number(env.PORT || 8080),
    trafficIntervalMs: Number(env.DEMO_TRAFFIC_INTERVAL_MS ?? 1000),
    checkoutErrorRatio: Number(env.DEMO_CHECKOUT_ERROR_RATIO ?? 0.2),
    instanceId: env.HOSTNAME || crypto.randomUUID(),
  };
}

const nowNs = () => (BigInt(Date.now()) * 1000000n).toString();
const str = (key, value) => ({ key, value: { stringValue: String(value) } });
const int = (key, value) => ({ key, value: { intValue: String(value) } });

function createDemo(config, out = process.stdout) {
  const startNs = nowNs();
  const resource = {
    attributes: [
      str('service.name', config.serviceName),
      str('service.instance.id', config.instanceId),
      str('deployment.environment', 'dev'),
    ],
  };
  const scope = { name: 'telemetry-truth-demo', version: '1.0.0' };
  // Cumulative RED state, keyed by "method route status".
  const requests = new Map();
  const durations = new Map();
  let logBuffer = [];
  let spanBuffer = [];
  const exportStats = { ok: 0, failed: 0, lastError: null };

  function log(level, msg, fields = {}, trace = null) {
    const record = { time: new Date().toISOString(), level, service: config.serviceName, msg, ...fields };
    out.write(`${JSON.stringify(record)}\n`);
    if (config.exporters.logs === 'otlp') {
      logBuffer.push({
        timeUnixNano: nowNs(),
        observedTimeUnixNano: nowNs(),
        severityNumber: level === 'error' ? 17 : level === 'warn' ? 13 : 9,
        severityText: level.toUpperCase(),
        body: { stringValue: msg },
        attributes: Object.entries(fields).map(([k, v]) => (typeof v === 'number' ? int(k, v) : str(k, v))),
        ...(trace ? { traceId: trace.traceId, spanId: trace.spanId } : {}),
      });
    }
  }

  function record(method, route, status, seconds, startedNs) {
    const key = `${method} ${route} ${status}`;
    requests.set(key, (requests.get(key) || 0) + 1);
    const h = durations.get(key) || { count: 0, sum: 0, buckets: new Array(DURATION_BUCKETS.length + 1).fill(0) };
    h.count++;
    h.sum += seconds;
    const idx = DURATION_BUCKETS.findIndex((b) => seconds <= b);
    h.buckets[idx === -1 ? DURATION_BUCKETS.length : idx]++;
    durations.set(key, h);
    const trace = { traceId: crypto.randomBytes(16).toString('hex'), spanId: crypto.randomBytes(8).toString('hex') };
    if (config.exporters.traces === 'otlp') {
      spanBuffer.push({
        ...trace,
        name: `${method} ${route}`,
        kind: 2, // SERVER
        startTimeUnixNano: startedNs,
        endTimeUnixNano: nowNs(),
        attributes: [
          str('http.request.method', method),
          str('http.route', route),
          int('http.response.status_code', status),
        ],
        status: { code: status >= 500 ? 2 : 1 },
      });
    }
    log(
      status >= 500 ? 'error' : 'info',
      'request completed',
      { method, route, status_code: status, duration_ms: Math.round(seconds * 1000) },
      trace
    );
  }

  function routeOf(url) {
    if (url === '/api/items') {
      return '/api/items';
    }
    if (/^\/api\/items\/[^/]+$/.test(url)) {
      return '/api/items/:id';
    }
    if (url === '/api/checkout') {
      return '/api/checkout';
    }
    return null;
  }

  function prometheusText() {
    const lines = [
      '# HELP demo_http_requests_total HTTP requests served, by route and status code.',
      '# TYPE demo_http_requests_total counter',
    ];
    for (const [key, count] of requests) {
      const [method, route, status] = key.split(' ');
      lines.push(`demo_http_requests_total{method="${method}",route="${route}",status_code="${status}"} ${count}`);
    }
    lines.push(
      '# HELP demo_http_request_duration_seconds HTTP request duration.',
      '# TYPE demo_http_request_duration_seconds histogram'
    );
    for (const [key, h] of durations) {
      const [method, route, status] = key.split(' ');
      const labels = `method="${method}",route="${route}",status_code="${status}"`;
      let cumulative = 0;
      DURATION_BUCKETS.forEach((b, i) => {
        cumulative += h.buckets[i];
        lines.push(`demo_http_request_duration_seconds_bucket{${labels},le="${b}"} ${cumulative}`);
      });
      lines.push(`demo_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.count}`);
      lines.push(`demo_http_request_duration_seconds_sum{${labels}} ${h.sum}`);
      lines.push(`demo_http_request_duration_seconds_count{${labels}} ${h.count}`);
    }
    return `${lines.join('\n')}\n`;
  }

  const server = http.createServer((req, res) => {
    const startedNs = nowNs();
    const started = process.hrtime.bigint();
    const url = (req.url || '/').split('?')[0];
    if (url === '/metrics') {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(prometheusText());
      return;
    }
    if (url === '/health') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', exports: exportStats }));
      return;
    }
    const route = routeOf(url);
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const failing =
      route === '/api/checkout'
        ? Math.random() < config.checkoutErrorRatio
        : route === '/api/items/:id' && Math.random() < 0.1;
    const status = failing ? (route === '/api/checkout' ? 500 : 404) : 200;
    setTimeout(
      () => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ route, status }));
        record(req.method || 'GET', route, status, Number(process.hrtime.bigint() - started) / 1e9, startedNs);
      },
      5 + Math.random() * 120
    );
  });

  function metricsPayload() {
    const t = nowNs();
    const points = [...requests].map(([key, count]) => {
      const [method, route, status] = key.split(' ');
      return {
        attributes: [str('method', method), str('route', route), str('status_code', status)],
        startTimeUnixNano: startNs,
        timeUnixNano: t,
        asInt: String(count),
      };
    });
    return {
      resourceMetrics: [
        {
          resource,
          scopeMetrics: [
            {
              scope,
              metrics: [
                {
                  name: 'demo.requests.handled',
                  description: 'Requests handled, reported over OTLP.',
                  unit: '1',
                  sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: points },
                },
                {
                  name: 'demo.uptime',
                  description: 'Seconds since start.',
                  unit: 's',
                  gauge: { dataPoints: [{ timeUnixNano: t, asDouble: Number(BigInt(t) - BigInt(startNs)) / 1e9 }] },
                },
              ],
            },
          ],
        },
      ],
    };
  }

  async function post(signal, body) {
    const url = `${config.endpoint}/v1/${signal}`;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      exportStats.ok++;
    } catch (err) {
      exportStats.failed++;
      exportStats.lastError = `${signal}: ${err.cause?.code || err.message}`;
      // Only to stdout: exporting the exporter's own failure over the failing path would loop.
      out.write(
        `${JSON.stringify({ time: new Date().toISOString(), level: 'warn', service: config.serviceName, msg: 'OTLP export failed', url, error: exportStats.lastError })}\n`
      );
    }
  }

  async function flush() {
    const jobs = [];
    if (config.exporters.metrics === 'otlp' && requests.size > 0) {
      jobs.push(post('metrics', metricsPayload()));
    }
    if (config.exporters.logs === 'otlp' && logBuffer.length > 0) {
      const logRecords = logBuffer;
      logBuffer = [];
      jobs.push(post('logs', { resourceLogs: [{ resource, scopeLogs: [{ scope, logRecords }] }] }));
    }
    if (config.exporters.traces === 'otlp' && spanBuffer.length > 0) {
      const spans = spanBuffer;
      spanBuffer = [];
      jobs.push(post('traces', { resourceSpans: [{ resource, scopeSpans: [{ scope, spans }] }] }));
    }
    await Promise.all(jobs);
  }

  function trafficOnce() {
    const total = ROUTES.reduce((n, r) => n + r.weight, 0);
    let pick = Math.random() * total;
    const { route } = ROUTES.find((r) => (pick -= r.weight) < 0) || ROUTES[0];
    const path = route.replace(':id', String(1 + Math.floor(Math.random() * 50)));
    const port = server.address().port;
    http.get({ host: '127.0.0.1', port, path }, (res) => res.resume()).on('error', () => undefined);
  }

  let timers = [];
  return {
    server,
    flush,
    prometheusText,
    exportStats,
    start() {
      return new Promise((resolve) => {
        server.listen(config.port, () => {
          const { exporters } = config;
          // Same first line as the seed incident's backend, so the misconfiguration is visible in the logs.
          log('info', `Exporting to: ${config.endpoint}`, {
            metrics_exporter: exporters.metrics,
            logs_exporter: exporters.logs,
            traces_exporter: exporters.traces,
          });
          timers.push(setInterval(() => void flush(), config.exportIntervalMs));
          if (config.trafficIntervalMs > 0) {
            timers.push(setInterval(trafficOnce, config.trafficIntervalMs));
          }
          resolve(server.address().port);
        });
      });
    },
    async stop() {
      timers.forEach(clearInterval);
      timers = [];
      await new Promise((resolve) => server.close(() => resolve()));
      await flush();
    },
  };
}

module.exports = { createDemo, readConfig };

if (require.main === module) {
  const demo = createDemo(readConfig(process.env));
  void demo.start();
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => void demo.stop().then(() => process.exit(0)));
  }
}
