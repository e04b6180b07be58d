/**
 * One configuration schema for the app's jsonData and the CLI's config file (YAML or JSON).
 * `parseConfig` validates the user-facing shape and normalises it into the engine's CheckConfig;
 * `toUserConfig` turns a CheckConfig back into that shape for saving.
 */
import { z } from 'zod';
import { CheckConfig, ExpectedService, IdentitySpec, Signal, SIGNALS } from './model';
import { RUNBOOK_CODES } from './verdicts';
import { formatDuration, parseDurationSeconds } from './duration';

export const DEFAULT_IDENTITY: Record<Signal, IdentitySpec> = {
  metrics: { label: 'job' },
  logs: { label: 'service_name' },
  traces: { label: 'service.name' },
};

export const DEFAULT_CONFIG: CheckConfig = {
  services: [],
  identity: DEFAULT_IDENTITY,
  freshnessSeconds: { metrics: 300, logs: 600, traces: 900 },
  lookbackSeconds: 86400,
  datasources: { include: [], exclude: [] },
  timeoutMs: 10000,
  concurrency: 8,
  runbookUrls: {},
};

const durationSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined || seconds <= 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `expected a positive duration like "30s", "5m", "24h" or a number of seconds, got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return seconds;
});

const nonBlank = (what: string) =>
  z
    .string({ invalid_type_error: `${what} must be a string` })
    .refine((s) => s.trim() !== '', `${what} must not be empty`);

const identitySchema = z.union(
  [
    nonBlank('label').transform((label): IdentitySpec => ({ label })),
    z.object({ label: nonBlank('label') }).strict(),
    z.object({ selector: nonBlank('selector') }).strict(),
  ],
  { errorMap: () => ({ message: 'expected a label name (e.g. "source"), { label: "…" } or { selector: "…" }' }) }
);

const perSignal = <T extends z.ZodTypeAny>(schema: T) =>
  z.object({ metrics: schema.optional(), logs: schema.optional(), traces: schema.optional() }).strict();

const signalSchema = z.enum(['metrics', 'logs', 'traces'], {
  errorMap: () => ({ message: 'expected one of "metrics", "logs", "traces"' }),
});

const serviceSchema = z.union([
  nonBlank('service name'),
  z
    .object({
      name: nonBlank('service name'),
      signals: z
        .array(signalSchema)
        .min(1, 'list at least one signal, or leave "signals" out for all three')
        .refine((a) => new Set(a).size === a.length, 'signals must not repeat')
        .optional(),
      identity: perSignal(identitySchema).optional(),
    })
    .strict(),
]);

const urlSchema = z
  .string()
  .refine((u) => /^(https?:\/\/|\/)/i.test(u.trim()), 'expected an http(s) URL or a path starting with "/"');

const userConfigSchema = z
  .object({
    services: z.array(serviceSchema).optional(),
    identity: perSignal(identitySchema).optional(),
    freshness: perSignal(durationSchema).optional(),
    lookback: durationSchema.optional(),
    datasources: z
      .object({
        include: z.array(nonBlank('datasource uid')).optional(),
        exclude: z.array(nonBlank('datasource uid')).optional(),
      })
      .strict()
      .optional(),
    timeout: durationSchema.refine((s) => s >= 0.1 && s <= 600, 'timeout must be between 100ms and 10m').optional(),
    concurrency: z
      .number({ invalid_type_error: 'concurrency must be a number' })
      .int('concurrency must be a whole number')
      .min(1, 'concurrency must be at least 1')
      .max(64, 'concurrency must be at most 64')
      .optional(),
    runbookUrls: z.record(urlSchema).optional(),
  })
  .strict();

/** The user-facing shape: what the app stores in jsonData and what the CLI reads from its config file. */
export interface UserConfig {
  services?: Array<
    string | { name: string; signals?: Signal[]; identity?: Partial<Record<Signal, string | IdentitySpec>> }
  >;
  identity?: Partial<Record<Signal, string | IdentitySpec>>;
  freshness?: Partial<Record<Signal, string | number>>;
  lookback?: string | number;
  datasources?: { include?: string[]; exclude?: string[] };
  timeout?: string | number;
  concurrency?: number;
  runbookUrls?: Record<string, string>;
}

export interface ConfigError {
  /** Path into the input, e.g. `services[2].identity.logs`; '' for the whole document. */
  path: string;
  message: string;
}

export type ParseConfigResult = { ok: true; config: CheckConfig } | { ok: false; errors: ConfigError[] };

export interface ParseConfigOptions {
  /**
   * Ignore unknown top-level keys instead of reporting them (the app's jsonData may hold other settings).
   * Unknown keys inside known sections are always reported: they are typos.
   */
  allowUnknownKeys?: boolean;
}

export function parseConfig(input: unknown, options: ParseConfigOptions = {}): ParseConfigResult {
  const doc = input === undefined || input === null ? {} : input;
  const schema = options.allowUnknownKeys ? userConfigSchema.strip() : userConfigSchema;
  const parsed = schema.safeParse(doc);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map(toConfigError) };
  }
  const u = parsed.data;
  const errors: ConfigError[] = [];

  const identity: Record<Signal, IdentitySpec> = { ...DEFAULT_IDENTITY, ...definedOnly(u.identity ?? {}) };
  const freshnessSeconds: Record<Signal, number> = {
    ...DEFAULT_CONFIG.freshnessSeconds,
    ...definedOnly(u.freshness ?? {}),
  };
  const lookbackSeconds = u.lookback ?? DEFAULT_CONFIG.lookbackSeconds;
  for (const s of SIGNALS) {
    if (freshnessSeconds[s] > lookbackSeconds) {
      errors.push({
        path: `freshness.${s}`,
        message: `freshness (${formatDuration(freshnessSeconds[s])}) must not exceed the lookback (${formatDuration(lookbackSeconds)})`,
      });
    }
  }

  const seen = new Map<string, number>();
  const services: ExpectedService[] = (u.services ?? []).map((entry, i) => {
    const service: ExpectedService = typeof entry === 'string' ? { name: entry } : { name: entry.name };
    if (typeof entry !== 'string') {
      if (entry.signals) {
        service.signals = entry.signals;
      }
      const overrides = definedOnly(entry.identity ?? {});
      if (Object.keys(overrides).length > 0) {
        service.identity = overrides;
      }
    }
    const first = seen.get(service.name);
    if (first !== undefined) {
      errors.push({
        path: `services[${i}].name`,
        message: `duplicate service "${service.name}" (also services[${first}])`,
      });
    } else {
      seen.set(service.name, i);
    }
    return service;
  });

  const runbookUrls: Record<string, string> = {};
  for (const [code, url] of Object.entries(u.runbookUrls ?? {})) {
    if (!RUNBOOK_CODES.includes(code)) {
      errors.push({
        path: `runbookUrls.${code}`,
        message: `unknown verdict code; expected one of ${RUNBOOK_CODES.join(', ')}`,
      });
    } else {
      runbookUrls[code] = url.trim();
    }
  }

  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    config: {
      services,
      identity,
      freshnessSeconds,
      lookbackSeconds,
      datasources: { include: u.datasources?.include ?? [], exclude: u.datasources?.exclude ?? [] },
      timeoutMs: u.timeout !== undefined ? Math.round(u.timeout * 1000) : DEFAULT_CONFIG.timeoutMs,
      concurrency: u.concurrency ?? DEFAULT_CONFIG.concurrency,
      runbookUrls,
    },
  };
}

/** The user-facing shape of a CheckConfig, defaults left out, durations as strings. */
export function toUserConfig(config: CheckConfig): UserConfig {
  const out: UserConfig = {};
  if (config.services.length > 0) {
    out.services = config.services.map((s) => {
      if (!s.signals && !s.identity) {
        return s.name;
      }
      const entry: { name: string; signals?: Signal[]; identity?: Partial<Record<Signal, string | IdentitySpec>> } = {
        name: s.name,
      };
      if (s.signals) {
        entry.signals = [...s.signals];
      }
      if (s.identity) {
        entry.identity = mapSignals(s.identity, userIdentity);
      }
      return entry;
    });
  }
  const identity: Partial<Record<Signal, string | IdentitySpec>> = {};
  const freshness: Partial<Record<Signal, string>> = {};
  for (const s of SIGNALS) {
    if (!sameIdentity(config.identity[s], DEFAULT_IDENTITY[s])) {
      identity[s] = userIdentity(config.identity[s]);
    }
    if (config.freshnessSeconds[s] !== DEFAULT_CONFIG.freshnessSeconds[s]) {
      freshness[s] = formatDuration(config.freshnessSeconds[s]);
    }
  }
  if (Object.keys(identity).length > 0) {
    out.identity = identity;
  }
  if (Object.keys(freshness).length > 0) {
    out.freshness = freshness;
  }
  if (config.lookbackSeconds !== DEFAULT_CONFIG.lookbackSeconds) {
    out.lookback = formatDuration(config.lookbackSeconds);
  }
  if (config.datasources.include.length > 0 || config.datasources.exclude.length > 0) {
    out.datasources = {};
    if (config.datasources.include.length > 0) {
      out.datasources.include = [...config.datasources.include];
    }
    if (config.datasources.exclude.length > 0) {
      out.datasources.exclude = [...config.datasources.exclude];
    }
  }
  if (config.timeoutMs !== DEFAULT_CONFIG.timeoutMs) {
    out.timeout = formatDuration(config.timeoutMs / 1000);
  }
  if (config.concurrency !== DEFAULT_CONFIG.concurrency) {
    out.concurrency = config.concurrency;
  }
  if (Object.keys(config.runbookUrls).length > 0) {
    out.runbookUrls = { ...config.runbookUrls };
  }
  return out;
}

function userIdentity(spec: IdentitySpec): string | IdentitySpec {
  return 'label' in spec ? spec.label : { selector: spec.selector };
}

function sameIdentity(a: IdentitySpec, b: IdentitySpec): boolean {
  return 'label' in a ? 'label' in b && a.label === b.label : 'selector' in b && a.selector === b.selector;
}

function mapSignals<A, B>(rec: Partial<Record<Signal, A>>, f: (a: A) => B): Partial<Record<Signal, B>> {
  const out: Partial<Record<Signal, B>> = {};
  for (const s of SIGNALS) {
    const v = rec[s];
    if (v !== undefined) {
      out[s] = f(v);
    }
  }
  return out;
}

function definedOnly<T>(rec: Partial<Record<Signal, T | undefined>>): Partial<Record<Signal, T>> {
  const out: Partial<Record<Signal, T>> = {};
  for (const s of SIGNALS) {
    const v = rec[s];
    if (v !== undefined) {
      out[s] = v;
    }
  }
  return out;
}

function toConfigError(issue: z.ZodIssue): ConfigError {
  const path = issue.path.reduce<string>(
    (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : String(seg)),
    ''
  );
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    return {
      path,
      message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
    };
  }
  if (issue.code === z.ZodIssueCode.invalid_union) {
    // Report the most specific branch error rather than zod's generic "Invalid input".
    const nested = issue.unionErrors.flatMap((e) => e.issues).filter((i) => i.path.length > issue.path.length);
    if (nested.length > 0) {
      return toConfigError(nested[0]);
    }
  }
  if (issue.code === z.ZodIssueCode.invalid_type && issue.received === 'undefined') {
    return { path, message: 'is required' };
  }
  return { path, message: issue.message };
}
