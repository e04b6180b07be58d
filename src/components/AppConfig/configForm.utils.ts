/**
 * The configuration form's editable state and its conversion to the engine's user config. Validation is the
 * engine's `parseConfig`; this file only moves values between text inputs and that shape.
 */
import { SIGNALS, type CheckConfig, type IdentitySpec, type Signal } from '../../engine';
import { DEFAULT_CONFIG, type ConfigError, type UserConfig } from '../../engine/config';
import { formatDuration } from '../../engine/duration';

export type IdentityKind = 'default' | 'label' | 'selector';
export interface IdentityDraft {
  kind: IdentityKind;
  value: string;
}

export interface ServiceDraft {
  /** Stable React key; not saved. */
  key: string;
  name: string;
  signals: Signal[];
  identity: Record<Signal, IdentityDraft>;
}

export interface ConfigDraft {
  services: ServiceDraft[];
  identity: Record<Signal, IdentityDraft>;
  freshness: Record<Signal, string>;
  lookback: string;
  include: string[];
  exclude: string[];
  timeout: string;
  concurrency: string;
  runbookUrls: Record<string, string>;
}

let keySeq = 0;
export const newKey = () => `svc-${++keySeq}`;

function identityDraft(spec: IdentitySpec | undefined): IdentityDraft {
  if (!spec) {
    return { kind: 'default', value: '' };
  }
  return 'label' in spec ? { kind: 'label', value: spec.label } : { kind: 'selector', value: spec.selector };
}

const perSignal = <T>(fn: (s: Signal) => T): Record<Signal, T> => ({
  metrics: fn('metrics'),
  logs: fn('logs'),
  traces: fn('traces'),
});

export function emptyService(name = ''): ServiceDraft {
  return { key: newKey(), name, signals: [...SIGNALS], identity: perSignal(() => ({ kind: 'default', value: '' })) };
}

export function draftFromConfig(config: CheckConfig = DEFAULT_CONFIG): ConfigDraft {
  return {
    services: config.services.map((s) => ({
      key: newKey(),
      name: s.name,
      signals: s.signals ? [...s.signals] : [...SIGNALS],
      identity: perSignal((sig) => identityDraft(s.identity?.[sig])),
    })),
    identity: perSignal((sig) => identityDraft(config.identity[sig])),
    freshness: perSignal((sig) => formatDuration(config.freshnessSeconds[sig])),
    lookback: formatDuration(config.lookbackSeconds),
    include: [...config.datasources.include],
    exclude: [...config.datasources.exclude],
    timeout: formatDuration(config.timeoutMs / 1000),
    concurrency: String(config.concurrency),
    runbookUrls: { ...config.runbookUrls },
  };
}

function identityInput(d: IdentityDraft): string | IdentitySpec | undefined {
  if (d.kind === 'default') {
    return undefined;
  }
  return d.kind === 'label' ? { label: d.value.trim() } : { selector: d.value.trim() };
}

/** What the form would save, in the engine's user-facing shape, before validation. */
export function userInputFromDraft(draft: ConfigDraft): UserConfig {
  const services = draft.services.map((s) => {
    const identity: Partial<Record<Signal, string | IdentitySpec>> = {};
    for (const sig of SIGNALS) {
      const id = identityInput(s.identity[sig]);
      if (id !== undefined) {
        identity[sig] = id;
      }
    }
    const entry: { name: string; signals?: Signal[]; identity?: Partial<Record<Signal, string | IdentitySpec>> } = {
      name: s.name.trim(),
    };
    if (s.signals.length !== SIGNALS.length) {
      entry.signals = SIGNALS.filter((sig) => s.signals.includes(sig));
    }
    if (Object.keys(identity).length > 0) {
      entry.identity = identity;
    }
    return entry;
  });
  const identity: Partial<Record<Signal, string | IdentitySpec>> = {};
  for (const sig of SIGNALS) {
    const id = identityInput(draft.identity[sig]);
    if (id !== undefined) {
      identity[sig] = id;
    }
  }
  const concurrency = draft.concurrency.trim();
  return {
    services,
    identity,
    freshness: perSignal((sig) => draft.freshness[sig].trim()),
    lookback: draft.lookback.trim(),
    datasources: { include: draft.include, exclude: draft.exclude },
    timeout: draft.timeout.trim(),
    // A non-number is passed through as text so the engine names the problem on the field.
    concurrency: (concurrency !== '' && Number.isFinite(Number(concurrency))
      ? Number(concurrency)
      : concurrency) as number,
    runbookUrls: Object.fromEntries(Object.entries(draft.runbookUrls).filter(([, url]) => url.trim() !== '')),
  };
}

/** Errors at `path` or below it (`services[0]` matches `services[0].name`). */
export function errorsAt(errors: ConfigError[], path: string): string | undefined {
  const hits = errors.filter((e) => e.path === path || e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`));
  return hits.length > 0 ? hits.map((e) => e.message).join('; ') : undefined;
}
