import { SIGNALS, type CheckConfig } from '../../engine';
import { DEFAULT_CONFIG, DEFAULT_IDENTITY } from '../../engine/config';
import { formatDuration as duration } from '../../engine/duration';

/** POSIX-shell single quoting: anything a config holds is passed literally. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A `telemetry-truth check` line equivalent to the page's run, for CI. The token comes from GRAFANA_TOKEN in
 * the CI environment and never appears in the command.
 */
export function buildCliCommand(grafanaUrl: string, config: CheckConfig | null): string {
  const args = ['telemetry-truth', 'check', '--grafana-url', shellQuote(grafanaUrl.replace(/\/+$/, ''))];
  if (config) {
    for (const s of config.services) {
      args.push('--service', shellQuote(s.name));
    }
    for (const signal of SIGNALS) {
      const id = config.identity[signal];
      const def = DEFAULT_IDENTITY[signal];
      if ('label' in id && !('label' in def && def.label === id.label)) {
        args.push('--identity', shellQuote(`${signal}=${id.label}`));
      }
      if (config.freshnessSeconds[signal] !== DEFAULT_CONFIG.freshnessSeconds[signal]) {
        args.push('--freshness', `${signal}=${duration(config.freshnessSeconds[signal])}`);
      }
    }
    if (config.lookbackSeconds !== DEFAULT_CONFIG.lookbackSeconds) {
      args.push('--lookback', duration(config.lookbackSeconds));
    }
  }
  args.push('--format', 'junit', '--out', 'telemetry-truth.xml');
  return args.join(' ');
}

/** Starts a browser download of text without leaving the page. */
export function downloadText(filename: string, text: string, mediaType: string): void {
  const blob = new Blob([text], { type: `${mediaType};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  // Never attached to the document: Grafana's global link interceptor (interceptLinkClicks) would catch the
  // click, drop the `download` and navigate the whole tab to the blob instead of saving the file.
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
