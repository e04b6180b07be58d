/**
 * Pure argument parsing for `telemetry-truth`: argv + env in, a command with validated options
 * (or a usage error) out. No I/O here, so every rule is unit tested.
 */
import { parseArgs } from 'node:util';
import { Signal, SIGNALS } from '../src/engine/model';
import { REPORT_FORMATS, ReportFormat } from '../src/engine/report';

export interface DirectUrls {
  prometheus: string[];
  loki: string[];
  tempo: string[];
}

export interface CheckOptions {
  grafanaUrl: string | null;
  configFile: string | null;
  services: string[];
  format: ReportFormat;
  out: string | null;
  tokenFile: string | null;
  /** From GRAFANA_TOKEN; `--token-file` wins when both are given. Never printed. */
  envToken: string | null;
  identity: Partial<Record<Signal, string>>;
  direct: DirectUrls;
  tenant: string | null;
  timeoutMs: number | null;
  freshnessSeconds: Partial<Record<Signal, number>>;
  lookbackSeconds: number | null;
  concurrency: number | null;
  noColor: boolean;
}

export type ParsedCli =
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'explain'; code: string; service: string | null }
  | { command: 'check'; options: CheckOptions }
  | { usageError: string; hint?: string };

const OPTIONS = {
  'grafana-url': { type: 'string' },
  config: { type: 'string' },
  service: { type: 'string', multiple: true },
  format: { type: 'string' },
  out: { type: 'string' },
  'token-file': { type: 'string' },
  identity: { type: 'string', multiple: true },
  prometheus: { type: 'string', multiple: true },
  loki: { type: 'string', multiple: true },
  tempo: { type: 'string', multiple: true },
  tenant: { type: 'string' },
  timeout: { type: 'string' },
  freshness: { type: 'string', multiple: true },
  lookback: { type: 'string' },
  concurrency: { type: 'string' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

const HELP_HINT = 'Run `telemetry-truth --help` for usage.';

/** `500ms`, `10s`, `5m`, `1h30m`, `24h`, `7d`, or a bare number of seconds → seconds; undefined if invalid. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) {
    return Number(s);
  }
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(s)) {
    return undefined;
  }
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) {
    total += Number(m[1]) * unit[m[2]];
  }
  return total;
}

/** An http(s) URL without a trailing slash, or an error message that does not echo credentials. */
export function normaliseUrl(flag: string, value: string): { url: string } | { error: string } {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return { error: `--${flag} must be an http(s) URL` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { error: `--${flag} must be an http(s) URL, got a ${parsed.protocol} URL` };
  }
  if (parsed.username || parsed.password) {
    return { error: `--${flag} must not contain credentials; use GRAFANA_TOKEN or --token-file` };
  }
  if (parsed.search || parsed.hash) {
    return { error: `--${flag} must not contain a query string or fragment` };
  }
  return { url: value.trim().replace(/\/+$/, '') };
}

function isSignal(s: string): s is Signal {
  return (SIGNALS as readonly string[]).includes(s);
}

/** `signal=value` pairs for --identity and --freshness. */
function perSignal(flag: string, values: string[] | undefined): { ok: Array<[Signal, string]> } | { error: string } {
  const out: Array<[Signal, string]> = [];
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    const signal = eq > 0 ? v.slice(0, eq).trim() : '';
    const value = eq > 0 ? v.slice(eq + 1).trim() : '';
    if (!isSignal(signal) || !value) {
      return {
        error: `--${flag} expects signal=value with signal one of ${SIGNALS.join(', ')} (e.g. --${flag} ${flag === 'identity' ? 'logs=source' : 'logs=15m'})`,
      };
    }
    out.push([signal, value]);
  }
  return { ok: out };
}

export function parseCliArgs(argv: string[], env: Record<string, string | undefined>): ParsedCli {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (e) {
    // Duck-typed: under jest's jsdom the TypeError comes from another realm than `Error`.
    const raw =
      typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string'
        ? e.message
        : 'invalid arguments';
    const message = raw.split('. To specify')[0];
    if (/'--token'/.test(message)) {
      return {
        usageError: '--token is not supported: a token on the command line leaks into shell history and process lists',
        hint: 'Set GRAFANA_TOKEN or pass --token-file FILE.',
      };
    }
    return { usageError: message, hint: HELP_HINT };
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') {
    return { command: 'help' };
  }
  if (values.version) {
    return { command: 'version' };
  }
  const [command, ...rest] = positionals;
  if (!command) {
    return { usageError: 'missing command: expected `check` or `explain <code>`', hint: HELP_HINT };
  }
  if (command === 'explain') {
    if (rest.length !== 1) {
      return {
        usageError: 'explain takes exactly one verdict code, e.g. `telemetry-truth explain TT-LOGS-MISSING`',
        hint: HELP_HINT,
      };
    }
    // --service fills the runbook's query placeholders for that service (escaped by the runbook module).
    const services = values.service ?? [];
    if (services.length > 1) {
      return { usageError: 'explain takes at most one --service', hint: HELP_HINT };
    }
    return { command: 'explain', code: rest[0].trim().toUpperCase(), service: services[0] ?? null };
  }
  if (command !== 'check') {
    // The value itself is not echoed: a mistyped secret must not end up in a CI log.
    return { usageError: 'unknown command: expected `check` or `explain <code>`', hint: HELP_HINT };
  }
  if (rest.length > 0) {
    return {
      usageError: `check takes no positional arguments (got ${rest.length}); services are given with --service NAME`,
      hint: HELP_HINT,
    };
  }

  const format = values.format ?? 'text';
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    return { usageError: `--format must be one of ${REPORT_FORMATS.join(', ')}`, hint: HELP_HINT };
  }

  let grafanaUrl: string | null = null;
  if (values['grafana-url'] !== undefined) {
    const u = normaliseUrl('grafana-url', values['grafana-url']);
    if ('error' in u) {
      return { usageError: u.error, hint: HELP_HINT };
    }
    grafanaUrl = u.url;
  }
  const direct: DirectUrls = { prometheus: [], loki: [], tempo: [] };
  for (const kind of ['prometheus', 'loki', 'tempo'] as const) {
    for (const raw of values[kind] ?? []) {
      const u = normaliseUrl(kind, raw);
      if ('error' in u) {
        return { usageError: u.error, hint: HELP_HINT };
      }
      direct[kind].push(u.url);
    }
  }
  const directCount = direct.prometheus.length + direct.loki.length + direct.tempo.length;
  if (!grafanaUrl && directCount === 0) {
    return {
      usageError: 'check needs --grafana-url URL, or backend URLs with --prometheus/--loki/--tempo (direct mode)',
      hint: 'Example: telemetry-truth check --grafana-url http://localhost:3000 --service scanium-backend',
    };
  }

  const identity: Partial<Record<Signal, string>> = {};
  const ids = perSignal('identity', values.identity);
  if ('error' in ids) {
    return { usageError: ids.error, hint: HELP_HINT };
  }
  for (const [signal, label] of ids.ok) {
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(label)) {
      return {
        usageError: `--identity ${signal}=…: a label name is letters, digits, '_' and '.' (per-service selectors go in --config)`,
        hint: HELP_HINT,
      };
    }
    identity[signal] = label;
  }

  const freshnessSeconds: Partial<Record<Signal, number>> = {};
  const fr = perSignal('freshness', values.freshness);
  if ('error' in fr) {
    return { usageError: fr.error, hint: HELP_HINT };
  }
  for (const [signal, text] of fr.ok) {
    const seconds = parseDuration(text);
    if (seconds === undefined || seconds <= 0) {
      return { usageError: `--freshness ${signal}=…: not a positive duration (use e.g. 90s, 5m, 1h)`, hint: HELP_HINT };
    }
    freshnessSeconds[signal] = seconds;
  }

  let lookbackSeconds: number | null = null;
  if (values.lookback !== undefined) {
    const s = parseDuration(values.lookback);
    if (s === undefined || s <= 0) {
      return { usageError: '--lookback: not a positive duration (use e.g. 24h, 7d)', hint: HELP_HINT };
    }
    lookbackSeconds = s;
  }
  let timeoutMs: number | null = null;
  if (values.timeout !== undefined) {
    const s = parseDuration(values.timeout);
    if (s === undefined || s <= 0) {
      return { usageError: '--timeout: not a positive duration (use e.g. 10s, 500ms)', hint: HELP_HINT };
    }
    timeoutMs = Math.round(s * 1000);
  }
  let concurrency: number | null = null;
  if (values.concurrency !== undefined) {
    const n = Number(values.concurrency);
    if (!Number.isInteger(n) || n < 1 || n > 64) {
      return { usageError: '--concurrency must be an integer from 1 to 64', hint: HELP_HINT };
    }
    concurrency = n;
  }
  const services = (values.service ?? []).map((s) => s.trim());
  if (services.some((s) => s === '')) {
    return { usageError: '--service needs a non-empty name', hint: HELP_HINT };
  }
  if (values['token-file'] !== undefined && values['token-file'].trim() === '') {
    return { usageError: '--token-file needs a path', hint: HELP_HINT };
  }
  const envToken = env.GRAFANA_TOKEN?.trim() ? env.GRAFANA_TOKEN.trim() : null;

  return {
    command: 'check',
    options: {
      grafanaUrl,
      configFile: values.config ?? null,
      services,
      format: format as ReportFormat,
      out: values.out ?? null,
      tokenFile: values['token-file'] ?? null,
      envToken,
      identity,
      direct,
      tenant: values.tenant?.trim() || null,
      timeoutMs,
      freshnessSeconds,
      lookbackSeconds,
      concurrency,
      noColor: values['no-color'] === true,
    },
  };
}

/**
 * Colour for the terminal report: FORCE_COLOR forces it (FORCE_COLOR=0 disables), --no-color,
 * a non-empty NO_COLOR and TERM=dumb disable it, otherwise only when stdout is a TTY.
 */
export function shouldUseColor(noColorFlag: boolean, env: Record<string, string | undefined>, isTTY: boolean): boolean {
  if (noColorFlag) {
    return false;
  }
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    return !['0', 'false'].includes(force.trim().toLowerCase());
  }
  if (env.NO_COLOR) {
    return false;
  }
  if (env.TERM === 'dumb') {
    return false;
  }
  return isTTY;
}
