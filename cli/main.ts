/**
 * `telemetry-truth`: the CI face of the engine. `main` is in-process testable: argv, env and
 * streams come in, the exit code goes out. stdout carries the report only; progress and
 * problems go to stderr. The Grafana token is never written anywhere (every write is redacted).
 */
import { readFile as fsReadFile, writeFile as fsWriteFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import pkg from '../package.json';
import {
  createDirectTransport,
  createGrafanaProxyTransport,
  DatasourceRef,
  parseConfig,
  Report,
  runCheck,
  Transport,
} from '../src/engine';
import { renderJsonChunks, renderReport, renderText } from '../src/engine/report';
import { APP_BASE_PATH } from '../src/engine/links/routes';
import { CheckOptions, parseCliArgs, shouldUseColor } from './args';
import { EXIT, exitCodeFor } from './exit';
import { discoverGrafana, FetchLike } from './grafana';
import { helpText } from './help';
import { explain } from './explain';

export interface CliIo {
  env: Record<string, string | undefined>;
  /** `once('drain')` is used, when present, to respect a pipe's backpressure on large reports. */
  stdout: { write(chunk: string): unknown; isTTY?: boolean; once?(event: 'drain', listener: () => void): unknown };
  stderr: { write(chunk: string): unknown };
  fetch?: FetchLike;
  readFile?: (path: string) => Promise<string>;
  writeFile?: (path: string, chunks: Iterable<string>) => Promise<void>;
  /** Cancels the run (Ctrl-C). */
  signal?: AbortSignal;
  now?: () => number;
}

export const VERSION: string = pkg.version;

interface Output {
  out(text: string): void;
  /** Writes piece by piece, waiting for the stream to drain: a 5,000-service JSON report is never one string. */
  outChunks(chunks: Iterable<string>): Promise<void>;
  err(text: string): void;
  addSecret(secret: string): void;
  redact(text: string): string;
}

/** Writers that replace every known secret before anything reaches a stream. */
function outputs(io: CliIo): Output {
  const secrets: string[] = [];
  const redact = (text: string) => secrets.reduce((t, s) => t.split(s).join('***'), text);
  return {
    out: (text) => void io.stdout.write(redact(text)),
    outChunks: async (chunks) => {
      for (const chunk of chunks) {
        if (io.stdout.write(redact(chunk)) === false && io.stdout.once) {
          await new Promise<void>((resolve) => io.stdout.once?.('drain', resolve));
        }
      }
    },
    err: (text) => void io.stderr.write(redact(text)),
    redact,
    addSecret: (s) => {
      if (s.length >= 4) {
        secrets.push(s);
      }
    },
  };
}

function errorText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    return code ? `${code}` : e.message;
  }
  return String(e);
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const o = outputs(io);
  if (io.env.GRAFANA_TOKEN) {
    o.addSecret(io.env.GRAFANA_TOKEN.trim());
  }
  const parsed = parseCliArgs(argv, io.env);
  if ('usageError' in parsed) {
    o.err(`telemetry-truth: ${parsed.usageError}\n${parsed.hint ? `${parsed.hint}\n` : ''}`);
    return EXIT.usage;
  }
  switch (parsed.command) {
    case 'help':
      o.out(helpText(VERSION));
      return EXIT.ok;
    case 'version':
      o.out(`${VERSION}\n`);
      return EXIT.ok;
    case 'explain':
      return explain(parsed.code, o, parsed.service);
    case 'check':
      try {
        return await check(parsed.options, io, o);
      } catch (e) {
        if (io.signal?.aborted) {
          o.err('telemetry-truth: cancelled\n');
          return EXIT.grafana;
        }
        o.err(`telemetry-truth: internal error, no verdicts produced: ${e instanceof Error ? e.message : String(e)}\n`);
        return EXIT.grafana;
      }
  }
}

async function check(options: CheckOptions, io: CliIo, o: Output): Promise<number> {
  const readFile = io.readFile ?? ((p: string) => fsReadFile(p, 'utf8'));
  const writeFile = io.writeFile ?? ((p: string, chunks: Iterable<string>) => fsWriteFile(p, chunks, 'utf8'));
  const fetchImpl: FetchLike = io.fetch ?? ((input, init) => fetch(input, init));

  // Token: --token-file wins over GRAFANA_TOKEN. Its content is never echoed, only the path.
  let token = options.envToken;
  if (options.tokenFile) {
    let content: string;
    try {
      content = await readFile(options.tokenFile);
    } catch (e) {
      o.err(`telemetry-truth: cannot read --token-file ${options.tokenFile}: ${errorText(e)}\n`);
      return EXIT.usage;
    }
    token = content.trim();
    o.addSecret(token);
    if (!token) {
      o.err(`telemetry-truth: --token-file ${options.tokenFile} is empty\n`);
      return EXIT.usage;
    }
  }

  // Configuration: file (YAML or JSON) first, flags on top, then one validation for both.
  let doc: unknown = {};
  if (options.configFile) {
    let text: string;
    try {
      text = await readFile(options.configFile);
    } catch (e) {
      o.err(`telemetry-truth: cannot read --config ${options.configFile}: ${errorText(e)}\n`);
      return EXIT.usage;
    }
    try {
      doc = parseYaml(text) ?? {};
    } catch (e) {
      o.err(
        `telemetry-truth: ${options.configFile} is not valid YAML or JSON: ${e instanceof Error ? e.message.split('\n')[0] : ''}\n`
      );
      return EXIT.usage;
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      o.err(
        `telemetry-truth: ${options.configFile}: the configuration must be a mapping (services, identity, freshness, …)\n`
      );
      return EXIT.usage;
    }
  }
  const result = parseConfig(withFlags(doc as Record<string, unknown>, options));
  if (!result.ok) {
    o.err(`telemetry-truth: invalid configuration${options.configFile ? ` in ${options.configFile} or flags` : ''}:\n`);
    for (const e of result.errors) {
      o.err(`  ${e.path || '(document)'}: ${e.message}\n`);
    }
    o.err('See docs/configuration.md for the configuration file format.\n');
    return EXIT.usage;
  }
  const config = result.config;

  // Datasources: direct backend URLs, or whatever Grafana lets this caller see.
  let datasources: DatasourceRef[];
  let transport: Transport;
  const direct = options.direct.prometheus.length + options.direct.loki.length + options.direct.tempo.length > 0;
  if (direct) {
    const urls: Record<string, string> = {};
    datasources = [];
    for (const type of ['prometheus', 'loki', 'tempo'] as const) {
      options.direct[type].forEach((url, i) => {
        const uid = `direct-${type}-${i + 1}`;
        urls[uid] = url;
        datasources.push({
          uid,
          name: `${type}-${i + 1} ${new URL(url).host}`,
          type,
          ...(options.tenant ? { tenant: options.tenant } : {}),
        });
      });
    }
    transport = createDirectTransport({ urls, fetchImpl });
    o.err(
      `telemetry-truth: direct mode, ${datasources.length} backend(s)${options.tenant ? `, tenant ${options.tenant}` : ''}\n`
    );
  } else {
    if (options.tenant) {
      o.err(
        'telemetry-truth: --tenant applies to direct mode only; through Grafana the datasource sends its own X-Scope-OrgID\n'
      );
    }
    const grafanaUrl = options.grafanaUrl ?? '';
    const info = await discoverGrafana({
      grafanaUrl,
      token,
      timeoutMs: config.timeoutMs,
      fetchImpl,
      signal: io.signal,
    });
    if ('kind' in info) {
      o.err(`telemetry-truth: ${info.message}\n`);
      return EXIT.grafana;
    }
    datasources = info.datasources;
    transport = createGrafanaProxyTransport({ grafanaUrl, token: token ?? undefined, fetchImpl });
    const counts = (['prometheus', 'loki', 'tempo'] as const).map(
      (t) => `${t} ${datasources.filter((d) => d.type === t).length}`
    );
    o.err(
      `telemetry-truth: Grafana ${info.version ?? '(version hidden)'} at ${grafanaUrl}: ${counts.join(', ')} datasource(s)\n`
    );
  }
  o.err(
    config.services.length > 0
      ? `telemetry-truth: checking ${config.services.length} expected service(s)\n`
      : 'telemetry-truth: no services configured: discovery mode (reports what each signal sees)\n'
  );

  const report: Report = await runCheck({
    config,
    transport,
    datasources,
    signal: io.signal,
    now: io.now,
    toolVersion: VERSION,
    runbookBaseUrl: options.grafanaUrl ? `${options.grafanaUrl}${APP_BASE_PATH}/runbooks` : undefined,
    onProgress: (event) => {
      if (event.type === 'datasource') {
        const r = event.result;
        const latency = r.latencyMs === null ? '' : ` in ${Math.round(r.latencyMs)} ms`;
        o.err(`  ${r.status.padEnd(11)} ${r.name} (${r.type})${latency}\n`);
      }
    },
  });

  const color = shouldUseColor(options.noColor, io.env, io.stdout.isTTY === true);
  const rendered = (): Iterable<string> =>
    options.format === 'json'
      ? renderJsonChunks(report)
      : [
          renderReport(report, options.format, {
            grafanaUrl: options.grafanaUrl ?? undefined,
            color: color && options.format === 'text',
            // Explore needs Grafana's own datasource uids, which direct mode does not have.
            exploreLinks: !direct,
            explainHint: true,
          }),
        ];
  if (options.out) {
    try {
      await writeFile(options.out, mapIterable(rendered(), o.redact));
    } catch (e) {
      o.err(`telemetry-truth: cannot write --out ${options.out}: ${errorText(e)}\n`);
      return EXIT.usage;
    }
    o.err(`telemetry-truth: ${options.format} report written to ${options.out}\n`);
    o.out(renderText(report, { color, grafanaUrl: options.grafanaUrl ?? undefined, explainHint: true }));
  } else {
    await o.outChunks(rendered());
  }
  const code = exitCodeFor(report);
  o.err(`telemetry-truth: ${report.verdict === 'pass' ? 'pass' : 'fail'} (exit ${code})\n`);
  return code;
}

function* mapIterable<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) {
    yield f(item);
  }
}

/** Flags override the file: services replace the list (keeping the file's per-service settings), the rest merges. */
export function withFlags(doc: Record<string, unknown>, options: CheckOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { ...doc };
  if (options.services.length > 0) {
    const fromFile = Array.isArray(doc.services) ? doc.services : [];
    const byName = new Map<string, unknown>();
    for (const entry of fromFile) {
      const name =
        typeof entry === 'string'
          ? entry
          : typeof entry === 'object' && entry !== null
            ? (entry as Record<string, unknown>).name
            : undefined;
      if (typeof name === 'string') {
        byName.set(name, entry);
      }
    }
    out.services = options.services.map((name) => byName.get(name) ?? name);
  }
  const merge = (key: string, values: Record<string, unknown>) => {
    if (Object.keys(values).length > 0) {
      const base =
        typeof doc[key] === 'object' && doc[key] !== null && !Array.isArray(doc[key])
          ? (doc[key] as Record<string, unknown>)
          : {};
      out[key] = { ...base, ...values };
    }
  };
  merge('identity', options.identity);
  merge('freshness', options.freshnessSeconds);
  if (options.lookbackSeconds !== null) {
    out.lookback = options.lookbackSeconds;
  }
  if (options.timeoutMs !== null) {
    out.timeout = options.timeoutMs / 1000;
  }
  if (options.concurrency !== null) {
    out.concurrency = options.concurrency;
  }
  return out;
}
