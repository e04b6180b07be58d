/** Between the app's jsonData and the engine's CheckConfig. The schema itself is the engine's (`parseConfig`). */
import type { CheckConfig } from '../engine';
import { parseConfig, toUserConfig, type ParseConfigResult } from '../engine/config';

/** Keys the engine's config schema owns inside jsonData; anything else in jsonData is left alone on save. */
const CONFIG_KEYS = [
  'services',
  'identity',
  'freshness',
  'lookback',
  'datasources',
  'timeout',
  'concurrency',
  'runbookUrls',
];

export function configFromJsonData(jsonData: Record<string, unknown> | undefined): ParseConfigResult {
  return parseConfig(jsonData ?? {}, { allowUnknownKeys: true });
}

/** jsonData to save for `config`: other keys kept, config keys replaced (removed when back to defaults). */
export function jsonDataFor(config: CheckConfig, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(previous).filter(([key]) => !CONFIG_KEYS.includes(key)));
  return { ...kept, ...toUserConfig(config) };
}

/** The configuration with one more expected service (discovery's "Expect" button). */
export function withExpectedService(config: CheckConfig, name: string): CheckConfig {
  if (config.services.some((s) => s.name === name)) {
    return config;
  }
  return { ...config, services: [...config.services, { name }] };
}
