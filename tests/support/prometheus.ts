/**
 * A REAL Prometheus (the Debian `/usr/bin/prometheus`, 2.42 here) for integration tests and worlds.
 *
 * - Starts on 127.0.0.1:<free port> with a temp TSDB dir and a temp config that enables an
 *   out-of-order window (`storage.tsdb.out_of_order_time_window`, since 2.39) so OLD samples can be
 *   written after fresh ones; `--web.enable-remote-write-receiver` (2.33+) takes the samples.
 * - Data goes in via remote write: the protobuf `prometheus.WriteRequest` is encoded by hand below
 *   (prompb/remote.proto + types.proto) and "compressed" as a valid snappy block made only of
 *   literal elements (snappy format_description.txt: a block is varint(len) + elements; a literal
 *   element with tag byte low bits 00 carries raw bytes). No npm dependency needed.
 * - Old data (e.g. 3 h ago) is accepted thanks to the OOO window of 1 d; verified by the tests in
 *   tests/integration/worlds.test.ts with real queries.
 * No jest globals here (runs under tsx too).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort, sleep } from '../emulators/http';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export interface PromSeries {
  /** Must include __name__. Other labels free-form (any UTF-8 value). */
  labels: Record<string, string>;
  /** [timestampMs, value] */
  samples: Array<[number, number]>;
}

export interface RealPrometheus {
  url: string;
  port: number;
  dataDir: string;
  version: string;
  /** Remote-write the series; rejects with Prometheus' error text on a non-2xx answer. */
  write(series: PromSeries[]): Promise<void>;
  /** Instant query helper for tests: returns the parsed JSON body. */
  query(expr: string, timeSec?: number): Promise<unknown>;
  stop(): Promise<void>;
}

export interface StartPrometheusOptions {
  /** Out-of-order window; default `1d` (must cover the oldest sample you will write after fresh ones). */
  outOfOrderWindow?: string;
  /** Max time to wait for /-/ready. Default 30 s (the machine is shared). */
  readyTimeoutMs?: number;
}

export async function startPrometheus(opts: StartPrometheusOptions = {}): Promise<RealPrometheus> {
  if (!existsSync(PROMETHEUS_BIN)) {
    throw new Error(
      `Prometheus binary not found at ${PROMETHEUS_BIN}. Install it with "apt-get install prometheus" ` +
        `(CI's .ci/run does this) or set PROMETHEUS_BIN.`
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'tt-prom-'));
  const dataDir = join(dir, 'data');
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(
    configFile,
    [
      'global:',
      '  scrape_interval: 1m',
      '  evaluation_interval: 1m',
      'storage:',
      '  tsdb:',
      `    out_of_order_time_window: ${opts.outOfOrderWindow ?? '1d'}`,
      'scrape_configs: []',
      '',
    ].join('\n')
  );

  let lastErr = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await closedPort();
    const child = spawn(
      PROMETHEUS_BIN,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--storage.tsdb.retention.time=2d`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-remote-write-receiver',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] }
    );
    // Watchdog: if this Node process dies without stop() (a killed jest worker, SIGKILL), take
    // Prometheus and its temp dir with it instead of leaving an orphan on the shared machine.
    if (child.pid) {
      const watchdog = spawn(
        '/bin/sh',
        ['-c', `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 2; done; kill ${child.pid} 2>/dev/null; sleep 3; rm -rf '${dir}'`],
        { stdio: 'ignore', detached: true }
      );
      watchdog.unref();
    }
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-4000);
    });
    const url = `http://127.0.0.1:${port}`;
    const ready = await waitReady(url, child, opts.readyTimeoutMs ?? 30_000);
    if (ready) {
      const version = await fetchVersion(url);
      return makeHandle(url, port, dir, dataDir, version, child);
    }
    lastErr = stderr;
    await killChild(child);
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`Prometheus did not become ready: ${lastErr.trim().slice(-1000)}`);
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      return false;
    }
    try {
      const r = await fetch(`${url}/-/ready`);
      await r.text();
      if (r.status === 200) {
        return true;
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return false;
}

async function fetchVersion(url: string): Promise<string> {
  try {
    const r = await fetch(`${url}/api/v1/status/buildinfo`);
    const j: unknown = await r.json();
    if (j && typeof j === 'object' && 'data' in j) {
      const d = (j as { data: unknown }).data;
      if (d && typeof d === 'object' && 'version' in d && typeof (d as { version: unknown }).version === 'string') {
        return (d as { version: string }).version;
      }
    }
  } catch {
    // fall through
  }
  return 'unknown';
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function makeHandle(url: string, port: number, dir: string, dataDir: string, version: string, child: ChildProcess): RealPrometheus {
  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    dataDir,
    version,
    async write(series) {
      if (series.length === 0) {
        return;
      }
      // Keep requests moderate: Prometheus has no small limit, but one huge body is slow to build.
      for (let i = 0; i < series.length; i += 2000) {
        const body = snappyLiteralBlock(encodeWriteRequest(series.slice(i, i + 2000)));
        const r = await fetch(`${url}/api/v1/write`, {
          method: 'POST',
          headers: {
            'Content-Encoding': 'snappy',
            'Content-Type': 'application/x-protobuf',
            'X-Prometheus-Remote-Write-Version': '0.1.0',
          },
          // A Uint8Array view is a valid BodyInit at runtime; the DOM lib types only admit its ArrayBuffer-backed form.
          body: body as Uint8Array<ArrayBuffer>,
        });
        const text = await r.text();
        if (r.status < 200 || r.status >= 300) {
          throw new Error(`remote write failed: HTTP ${r.status}: ${text.trim()}`);
        }
      }
    },
    async query(expr, timeSec) {
      const p = new URLSearchParams({ query: expr });
      if (timeSec !== undefined) {
        p.set('time', String(timeSec));
      }
      const r = await fetch(`${url}/api/v1/query?${p}`);
      return r.json();
    },
    stop() {
      if (!stopped) {
        stopped = killChild(child).then(() => rmSync(dir, { recursive: true, force: true }));
      }
      return stopped;
    },
  };
}

// ------------------------------------------------------------------------------------------------
// Protobuf (proto3 wire format) for prompb.WriteRequest:
//   WriteRequest { repeated TimeSeries timeseries = 1; }
//   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
//   Label        { string name = 1; string value = 2; }
//   Sample       { double value = 1; int64 timestamp = 2; }   // timestamp in ms
// ------------------------------------------------------------------------------------------------

class Writer {
  private chunks: number[] = [];
  varint(n: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(n));
    while (v >= 0x80n) {
      this.chunks.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.chunks.push(Number(v));
  }
  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }
  bytes(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.varint(b.length);
    for (const x of b) {
      this.chunks.push(x);
    }
  }
  string(field: number, s: string): void {
    this.bytes(field, Buffer.from(s, 'utf8'));
  }
  double(field: number, v: number): void {
    this.tag(field, 1);
    const buf = Buffer.alloc(8);
    buf.writeDoubleLE(v);
    for (const x of buf) {
      this.chunks.push(x);
    }
  }
  int64(field: number, v: number): void {
    this.tag(field, 0);
    this.varint(BigInt(Math.trunc(v)));
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

export function encodeWriteRequest(series: PromSeries[]): Uint8Array {
  const req = new Writer();
  for (const s of series) {
    const ts = new Writer();
    // Prometheus expects labels sorted by name.
    for (const name of Object.keys(s.labels).sort()) {
      const l = new Writer();
      l.string(1, name);
      l.string(2, s.labels[name]);
      ts.bytes(1, l.finish());
    }
    for (const [t, v] of [...s.samples].sort((a, b) => a[0] - b[0])) {
      const smp = new Writer();
      smp.double(1, v);
      smp.int64(2, t);
      ts.bytes(2, smp.finish());
    }
    req.bytes(1, ts.finish());
  }
  return req.finish();
}

/** A valid snappy *block* (not framed) holding `data` as literal elements only. */
export function snappyLiteralBlock(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let n = data.length;
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  const MAX = 65536;
  for (let off = 0; off < data.length; off += MAX) {
    const chunk = data.subarray(off, Math.min(off + MAX, data.length));
    const len1 = chunk.length - 1;
    if (len1 < 60) {
      out.push(len1 << 2);
    } else if (len1 < 0x100) {
      out.push(60 << 2, len1);
    } else if (len1 < 0x10000) {
      out.push(61 << 2, len1 & 0xff, len1 >> 8);
    } else {
      out.push(62 << 2, len1 & 0xff, (len1 >> 8) & 0xff, len1 >> 16);
    }
    for (const b of chunk) {
      out.push(b);
    }
  }
  return Uint8Array.from(out);
}
