/**
 * Child process of `npm run bench`: runs ONE check against a Grafana URL and prints its figures as
 * JSON. It runs apart from the emulators so that the heap it reports is the checker's alone.
 * Input: one JSON argument { grafanaUrl, datasources, services, timeoutMs?, concurrency? }.
 */
import { createGrafanaProxyTransport, DEFAULT_CONFIG, DatasourceRef, runCheck } from '../src/engine';
import { renderJsonChunks, renderJunit } from '../src/engine/report';

interface Input {
  grafanaUrl: string;
  datasources: DatasourceRef[];
  services: string[];
  timeoutMs?: number;
  concurrency?: number;
}

async function run(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as Input;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baselineHeap = process.memoryUsage().heapUsed;
  let peakHeap = baselineHeap;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 2);
  const startedAt = Date.now();
  const started = performance.now();
  const report = await runCheck({
    config: {
      ...DEFAULT_CONFIG,
      services: input.services.map((name) => ({ name })),
      timeoutMs: input.timeoutMs ?? DEFAULT_CONFIG.timeoutMs,
      concurrency: input.concurrency ?? DEFAULT_CONFIG.concurrency,
    },
    transport: createGrafanaProxyTransport({ grafanaUrl: input.grafanaUrl }),
    datasources: input.datasources,
  });
  const wallMs = performance.now() - started;
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  clearInterval(sampler);
  // Report sizes matter in CI: GitLab caps a JUnit file at 30 MB.
  // What `--format json` holds at once: the report plus one chunk at a time (the CLI streams it).
  let jsonBytes = 0;
  let heapWithJson = process.memoryUsage().heapUsed;
  let n = 0;
  for (const chunk of renderJsonChunks(report)) {
    jsonBytes += Buffer.byteLength(chunk);
    if (++n % 200 === 0) {
      heapWithJson = Math.max(heapWithJson, process.memoryUsage().heapUsed);
    }
  }
  const junitBytes = Buffer.byteLength(renderJunit(report));
  process.stdout.write(
    JSON.stringify({
      startedAt,
      wallMs,
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
