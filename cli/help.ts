import { VERDICTS } from '../src/engine/model';
import { VERDICT_INFO } from '../src/engine/verdicts';

export function helpText(version: string): string {
  const verdicts = VERDICTS.map((v) => `  ${v.padEnd(15)}${VERDICT_INFO[v].meaning}`).join('\n');
  return `telemetry-truth ${version}: is telemetry really arriving now, per service and signal?

Usage:
  telemetry-truth check --grafana-url URL [options]
  telemetry-truth check --prometheus URL --loki URL --tempo URL [options]   (direct mode, no Grafana)
  telemetry-truth explain <CODE> [--service NAME]  print the runbook for a verdict code, e.g. TT-LOGS-MISSING
  telemetry-truth --help | --version

Check options:
  --grafana-url URL         Grafana to check through (datasource proxy); also makes runbook links absolute
  --config FILE             configuration file, YAML or JSON (docs/configuration.md); flags override it
  --service NAME            expected service (repeatable); none = discovery mode
  --identity SIGNAL=LABEL   global identity label, e.g. --identity logs=source (repeatable)
  --freshness SIGNAL=DUR    max age for ok, e.g. --freshness logs=15m (defaults: metrics 5m, logs 10m, traces 15m)
  --lookback DUR            how far back to look for any data (default 24h)
  --timeout DUR             per-request timeout (default 10s)
  --concurrency N           requests in flight (default 8)
  --prometheus URL          direct mode: a Prometheus/Mimir base URL (Mimir: include /prometheus); repeatable
  --loki URL                direct mode: a Loki base URL; repeatable
  --tempo URL               direct mode: a Tempo base URL; repeatable
  --tenant ID               direct mode: X-Scope-OrgID sent to every backend
  --format FMT              text (default), json, markdown or junit
  --out FILE                write the report in --format to FILE; stdout then shows the text report
  --token-file FILE         Grafana service account token (else GRAFANA_TOKEN); never printed
  --no-color                no ANSI colour (also NO_COLOR=1, TERM=dumb, or stdout not a terminal; FORCE_COLOR=1 forces)

Verdicts:
${verdicts}

Exit codes:
  0  every expected service × signal is ok (discovery mode: no datasource failing)
  1  some verdict is not ok (discovery mode: a datasource is empty, unreachable, denied or in error)
  2  usage or configuration error
  3  Grafana itself unreachable, the token rejected, or no verdicts could be produced

Environment:
  GRAFANA_TOKEN   service account token (Viewer is enough); not needed with anonymous access
  NO_COLOR, FORCE_COLOR, TERM
`;
}
