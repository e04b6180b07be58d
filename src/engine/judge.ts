/**
 * The judge: facts in, verdicts out. Pure; every message says what was found and where to look.
 */
import { CellResult, DatasourceCell, DatasourceResult, IdentitySpec, Signal, TimeWindow, Verdict } from './model';
import { bestVerdict, ErrorCause, verdictCode } from './verdicts';
import { DatasourceFacts, ServiceFacts } from './facts';
import { humanAge } from './duration';
import { serviceQuery } from './probes/common';

export interface JudgeContext {
  nowMs: number;
  window: TimeWindow;
  freshnessSeconds: Record<Signal, number>;
  lookbackSeconds: number;
  runbookUrls: Record<string, string>;
  runbookBaseUrl?: string;
}

export const DEFAULT_RUNBOOK_BASE = '/a/scanium-telemetrytruth-app/runbooks';

const NOUN: Record<Signal, { datum: string; data: string }> = {
  metrics: { datum: 'sample', data: 'metrics' },
  logs: { datum: 'log line', data: 'logs' },
  traces: { datum: 'trace', data: 'traces' },
};

const SIGNAL_BACKEND: Record<Signal, string> = { metrics: 'Prometheus', logs: 'Loki', traces: 'Tempo' };

export function runbookFor(
  code: string,
  status: Verdict,
  ctx: Pick<JudgeContext, 'runbookUrls' | 'runbookBaseUrl'>
): string | null {
  if (status === 'ok') {
    return null;
  }
  return ctx.runbookUrls[code] ?? `${(ctx.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE).replace(/\/+$/, '')}/${code}`;
}

export function judgeDatasource(facts: DatasourceFacts, ctx: JudgeContext): DatasourceResult {
  const { datasource: ds, signal } = facts;
  let status: Verdict;
  let cause: ErrorCause | undefined;
  let message: string;
  const lookback = humanAge(ctx.lookbackSeconds);
  if (facts.failure) {
    status = facts.failure.verdict;
    cause = facts.failure.cause;
    message = facts.failure.message;
  } else if (!facts.holdsData) {
    status = 'empty';
    message = `Holds no ${NOUN[signal].data} at all in the last ${lookback}.`;
  } else {
    status = 'ok';
    const n = facts.seen.length;
    message = `Reachable; ${n} service${n === 1 ? '' : 's'} seen in the last ${lookback}.`;
  }
  return {
    uid: ds.uid,
    name: ds.name,
    type: ds.type,
    signal,
    status,
    code: verdictCode(status, signal, cause),
    message,
    version: facts.version,
    counts: facts.counts,
    seenServices: facts.seen,
    latencyMs: facts.latencyMs,
    queries: facts.queries,
  };
}

const seenSets = new WeakMap<DatasourceFacts, Set<string>>();
function seenSet(facts: DatasourceFacts): Set<string> {
  let set = seenSets.get(facts);
  if (!set) {
    set = new Set(facts.seen);
    seenSets.set(facts, set);
  }
  return set;
}

/** One datasource's verdict for one service, plus what the combined cell needs. */
export interface JudgedDatasourceCell extends DatasourceCell {
  newestMs: number | null;
  clockSkew: boolean;
  alternativeIdentity: { label: string; datasourceUid: string } | null;
}

function identityText(identity: IdentitySpec, name: string): string {
  return 'label' in identity ? `${identity.label}=${JSON.stringify(name)}` : `the selector ${identity.selector}`;
}

export function judgeServiceInDatasource(
  facts: DatasourceFacts,
  name: string,
  defaultIdentity: IdentitySpec,
  ctx: JudgeContext
): JudgedDatasourceCell {
  const { datasource: ds, signal } = facts;
  const sf: ServiceFacts | undefined = facts.services.get(name);
  const freshness = ctx.freshnessSeconds[signal];
  const noun = NOUN[signal];
  const where = `"${ds.name}"`;
  const base = {
    datasourceUid: ds.uid,
    datasourceName: ds.name,
    newestAt: null as string | null,
    ageSeconds: null as number | null,
    // A datasource that failed as a whole dated nobody: the per-service query is still where to look.
    query: sf?.query ?? serviceQuery(ds.type, sf?.identity ?? defaultIdentity, name),
    newestMs: null as number | null,
    clockSkew: false,
    alternativeIdentity: null as JudgedDatasourceCell['alternativeIdentity'],
  };
  const result = (status: Verdict, message: string, cause?: ErrorCause): JudgedDatasourceCell => ({
    ...base,
    status,
    code: verdictCode(status, signal, cause),
    message,
  });

  const failure = facts.failure ?? sf?.failure;
  if (failure) {
    return result(failure.verdict, `${where}: ${failure.message}`, failure.cause);
  }
  if (sf && sf.newestMs !== null) {
    const ageSeconds = Math.round((ctx.nowMs - sf.newestMs) / 1000);
    base.newestMs = sf.newestMs;
    base.newestAt = new Date(sf.newestMs).toISOString();
    base.ageSeconds = ageSeconds;
    const fr = humanAge(freshness);
    if (ageSeconds < 0) {
      base.clockSkew = true;
      return result(
        'ok',
        `Newest ${noun.datum} in ${where} is stamped ${humanAge(-ageSeconds)} in the future: a clock is skewed (counted as fresh).`
      );
    }
    const res = Math.round(sf.resolutionMs / 1000);
    if (ageSeconds <= freshness) {
      const age = res > 0 ? `less than ${humanAge(ageSeconds + res)}` : humanAge(ageSeconds);
      return result('ok', `Newest ${noun.datum} in ${where} ${age} ago (freshness ${fr}).`);
    }
    // A bucketed date only bounds the newest datum: it lies in (newestMs − resolution, newestMs].
    const age = res > 0 ? `${humanAge(ageSeconds)} to ${humanAge(ageSeconds + res)}` : humanAge(ageSeconds);
    return result('stale', `Newest ${noun.datum} in ${where} ${age} ago (freshness ${fr}).`);
  }
  if (sf?.staleUndated) {
    return result(
      'stale',
      `${where} has ${noun.data} for this service in the last ${humanAge(ctx.lookbackSeconds)} but none in the last ${humanAge(freshness)}.`
    );
  }
  if (!facts.holdsData) {
    return result('empty', `${where} holds no ${noun.data} at all in the last ${humanAge(ctx.lookbackSeconds)}.`);
  }
  const identity = sf?.identity ?? defaultIdentity;
  const others = facts.seen.length - (seenSet(facts).has(name) ? 1 : 0);
  const holds =
    others > 0 ? `holds ${noun.data} for ${others} other service${others === 1 ? '' : 's'}` : `holds ${noun.data}`;
  let message = `${where} ${holds} but none with ${identityText(identity, name)} in the last ${humanAge(ctx.lookbackSeconds)}.`;
  const alt = sf?.alternatives[0];
  if (alt) {
    base.alternativeIdentity = { label: alt.label, datasourceUid: ds.uid };
    const labels = sf.alternatives.map((a) => `${a.label}=${JSON.stringify(name)}`).join(', ');
    message += ` Found under ${labels}: set the ${signal} identity to "${alt.label}" if that is this service.`;
  }
  if (sf?.similar?.length) {
    const near = sf.similar.map((n) => `${n.label}=${JSON.stringify(n.value)}`).join(', ');
    const otlp = sf.similar.some((n) => n.value.endsWith(`/${name}`))
      ? ' (OTLP metrics are labelled job="<service.namespace>/<service.name>")'
      : '';
    message += ` Similar values exist: ${near}${otlp}.`;
  }
  return result('missing', message);
}

/** Combine one service's per-datasource verdicts: the best status wins, every datasource's result is kept. */
export function judgeCell(signal: Signal, perDatasource: JudgedDatasourceCell[], ctx: JudgeContext): CellResult {
  if (perDatasource.length === 0) {
    const code = verdictCode('not_configured', signal);
    return {
      status: 'not_configured',
      code,
      message: `No ${SIGNAL_BACKEND[signal]} (${signal}) datasource is configured, or all are excluded.`,
      newestAt: null,
      ageSeconds: null,
      clockSkew: false,
      window: ctx.window,
      query: null,
      datasourceUid: null,
      runbook: runbookFor(code, 'not_configured', ctx),
      alternativeIdentity: null,
      perDatasource: [],
    };
  }
  const status = bestVerdict(perDatasource.map((c) => c.status));
  const contenders = perDatasource.filter((c) => c.status === status);
  const winner = contenders.reduce(
    (best, c) => ((c.newestMs ?? -Infinity) > (best.newestMs ?? -Infinity) ? c : best),
    contenders[0]
  );
  const alternative = perDatasource.find((c) => c.alternativeIdentity)?.alternativeIdentity ?? null;
  return {
    status,
    code: winner.code,
    message: winner.message,
    newestAt: winner.newestAt,
    ageSeconds: winner.ageSeconds,
    clockSkew: winner.clockSkew,
    window: ctx.window,
    query: winner.query,
    datasourceUid: winner.datasourceUid,
    runbook: runbookFor(winner.code, status, ctx),
    alternativeIdentity: status === 'missing' ? alternative : null,
    perDatasource: perDatasource.map(({ newestMs: _n, clockSkew: _c, alternativeIdentity: _a, ...cell }) => cell),
  };
}

/** Pass/fail: expectations → every cell ok; discovery → no datasource empty/unreachable/denied/error. */
export function overallVerdict(
  mode: 'expectations' | 'discovery',
  cells: CellResult[],
  datasources: DatasourceResult[]
): 'pass' | 'fail' {
  if (mode === 'discovery') {
    return datasources.every((d) => d.status === 'ok') ? 'pass' : 'fail';
  }
  return cells.every((c) => c.status === 'ok') ? 'pass' : 'fail';
}
