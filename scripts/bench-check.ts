/**
 * Child process of `npm run bench`: runs ONE check against a Grafana URL and prints its figures as
 * JSON. It runs apart from the emulators so that the heap it reports is the checker's alone.
 * Input: one JSON argument { grafanaUrl, datasources, services, timeoutMs?, concurrency? }.
 */
import { getHeapStatistics } from 'node:v8';
import { createGrafanaProxyTransport, DEFAULT_CONFIG, DatasourceRef, runCheck, Transport } from '../src/engine';
import { renderJsonChunks, renderJunit } from '../src/engine/report';

interface Input {
  grafanaUrl: string;
  datasources: DatasourceRef[];
  services: string[];
  timeoutMs?: number;
  concurrency?: number;
}

/** Same figure as process.memoryUsage().heapUsed, without reading /proc for the RSS every 2 ms of the check. */
const heapUsed = () => getHeapStatistics().used_heap_size;

async function run(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as Input;
  const loadedAt = Date.now();
  // What the CLI does before runCheck: ask Grafana whether it is up (`/api/health`, cli/grafana.ts).
  // Node loads its fetch implementation (undici, ~30 ms) on the first call; that is start-up, like
  // loading our own code, so it happens here, before the clock, and is reported as `preflightMs`.
  const preflight = performance.now();
  await (await fetch(`${input.grafanaUrl.replace(/\/+$/, '')}/api/health`)).text();
  const preflightMs = performance.now() - preflight;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baselineHeap = heapUsed();
  let peakHeap = baselineHeap;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, heapUsed());
  }, 2);
  // The checker's own view of the wire: when it sent its first request and received its last answer.
  const proxy = createGrafanaProxyTransport({ grafanaUrl: input.grafanaUrl });
  let firstSent = Infinity;
  let lastReceived = 0;
  const transport: Transport = {
    async request(req) {
      firstSent = Math.min(firstSent, performance.now());
      try {
        return await proxy.request(req);
      } finally {
        lastReceived = Math.max(lastReceived, performance.now());
      }
    },
  };
  const startedAt = Date.now();
  const started = performance.now();
  const report = await runCheck({
    config: {
      ...DEFAULT_CONFIG,
      services: input.services.map((name) => ({ name })),
      timeoutMs: input.timeoutMs ?? DEFAULT_CONFIG.timeoutMs,
      concurrency: input.concurrency ?? DEFAULT_CONFIG.concurrency,
    },
    transport,
    datasources: input.datasources,
  });
  const wallMs = performance.now() - started;
  peakHeap = Math.max(peakHeap, heapUsed());
  clearInterval(sampler);
  // Report sizes matter in CI: GitLab caps a JUnit file at 30 MB.
  // What `--format json` holds at once: the report plus one chunk at a time (the CLI streams it).
  let jsonBytes = 0;
  let heapWithJson = heapUsed();
  let n = 0;
  for (const chunk of renderJsonChunks(report)) {
    jsonBytes += Buffer.byteLength(chunk);
    if (++n % 200 === 0) {
      heapWithJson = Math.max(heapWithJson, heapUsed());
    }
  }
  const junitBytes = Buffer.byteLength(renderJunit(report));
  process.stdout.write(
    JSON.stringify({
      loadedAt,
      preflightMs,
      startedAt,
      wallMs,
      firstSentMs: firstSent - started,
      lastReceivedMs: lastReceived - started,
      peakHeap,
      baselineHeap,
      gcExposed: Boolean(gc),
      jsonBytes,
      heapWithJson,
      junitBytes,
      verdict: report.verdict,
      byStatus: report.summary.byStatus,
      datasources: report.datasources.map((d) => ({ uid: d.uid, status: d.status })),
    })
  );
}

run().catch((e: unknown) => {
  process.stderr.write(`bench-check failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
