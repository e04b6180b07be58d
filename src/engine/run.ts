/**
 * runCheck: probe every selected datasource concurrently under one request limiter, judge each as it
 * settles, and always return a report (a hung datasource costs at most its timeouts; only
 * cancellation through `signal` rejects).
 */
import {
  CellResult,
  DatasourceRef,
  DatasourceResult,
  ExpectedService,
  Report,
  ServiceResult,
  Signal,
  SIGNAL_OF_BACKEND,
  SIGNALS,
  Verdict,
  VERDICTS,
} from './model';
import type { RunCheckOptions } from './index';
import { abortError, isAbortError, RequestContext } from './http';
import { createLimiter } from './limiter';
import { datasourcesBySignal, selectDatasources } from './discovery';
import { CLOCK_SKEW_ALLOWANCE_SECONDS, DatasourceFacts, emptyFacts, Probe, ProbeWindow, ServiceTarget } from './facts';
import {
  JudgeContext,
  judgeCell,
  judgeDatasource,
  JudgedDatasourceCell,
  judgeServiceInDatasource,
  overallVerdict,
} from './judge';
import { probePrometheus } from './probes/prometheus';
import { probeLoki } from './probes/loki';
import { probeTempo } from './probes/tempo';

const PROBES: Record<DatasourceRef['type'], Probe> = {
  prometheus: probePrometheus,
  loki: probeLoki,
  tempo: probeTempo,
};

/** Counters of the last runs, for tests and the bench: requests sent. */
export interface RunStats {
  requests: number;
}

export async function runCheckWithStats(options: RunCheckOptions): Promise<{ report: Report; stats: RunStats }> {
  const { config } = options;
  const nowMs = (options.now ?? Date.now)();
  if (options.signal?.aborted) {
    throw abortError();
  }
  const stats: RunStats = { requests: 0 };
  const ctx: RequestContext = {
    transport: options.transport,
    limiter: createLimiter(config.concurrency),
    timeoutMs: config.timeoutMs,
    signal: options.signal,
    stats,
  };
  const discovery = config.services.length === 0;
  const mode = discovery ? 'discovery' : 'expectations';
  const window = {
    start: new Date(nowMs - config.lookbackSeconds * 1000).toISOString(),
    end: new Date(nowMs).toISOString(),
  };
  const judgeCtx: JudgeContext = {
    nowMs,
    window,
    freshnessSeconds: config.freshnessSeconds,
    lookbackSeconds: config.lookbackSeconds,
    runbookUrls: config.runbookUrls,
    runbookBaseUrl: options.runbookBaseUrl,
  };
  const selected = selectDatasources(options.datasources, config);
  const bySignal = datasourcesBySignal(selected);
  const emit = (e: Parameters<NonNullable<RunCheckOptions['onProgress']>>[0]) => {
    try {
      options.onProgress?.(e);
    } catch {
      // A failing progress listener must not lose the report.
    }
  };

  const expectedFor = (signal: Signal): ExpectedService[] =>
    config.services.filter((s) => (s.signals ?? SIGNALS).includes(signal));
  const targetsFor = (signal: Signal): ServiceTarget[] =>
    expectedFor(signal).map((s) => ({ name: s.name, identity: s.identity?.[signal] ?? config.identity[signal] }));

  const factsByUid = new Map<string, DatasourceFacts>();
  const byName = new Map(config.services.map((s) => [s.name, s]));
  const cellsBySignal = new Map<Signal, Map<string, CellResult>>();

  // Each datasource's judgement of each expected service, made as soon as that datasource settles
  // (while others are still answering), so little judging is left once the last answer is in.
  const judgedByUid = new Map<string, Map<string, JudgedDatasourceCell>>();
  const judgeInDatasource = (facts: DatasourceFacts, signal: Signal, name: string): JudgedDatasourceCell => {
    const early = judgedByUid.get(facts.datasource.uid)?.get(name);
    if (early) {
      return early;
    }
    const identity = byName.get(name)?.identity?.[signal] ?? config.identity[signal];
    return judgeServiceInDatasource(facts, name, identity, judgeCtx);
  };

  const judgeSignalCells = (signal: Signal, names: string[]): Map<string, CellResult> => {
    const facts = bySignal[signal].map((ds) => factsByUid.get(ds.uid)!);
    const out = new Map<string, CellResult>();
    for (const name of names) {
      const per: JudgedDatasourceCell[] = facts.map((f) => judgeInDatasource(f, signal, name));
      out.set(name, judgeCell(signal, per, judgeCtx));
    }
    return out;
  };

  const remaining: Record<Signal, number> = { metrics: 0, logs: 0, traces: 0 };
  for (const ds of selected) {
    remaining[SIGNAL_OF_BACKEND[ds.type]]++;
  }
  // Signals without any datasource are decided before the first request: report them right away.
  for (const signal of SIGNALS) {
    if (remaining[signal] === 0 && !discovery) {
      const cells = judgeSignalCells(
        signal,
        expectedFor(signal).map((s) => s.name)
      );
      cellsBySignal.set(signal, cells);
      for (const [service, cell] of cells) {
        emit({ type: 'cell', service, signal, cell });
      }
    }
  }

  const probeOne = async (ds: DatasourceRef) => {
    const signal = SIGNAL_OF_BACKEND[ds.type];
    const probeWindow: ProbeWindow = {
      nowMs,
      startMs: nowMs - config.lookbackSeconds * 1000,
      endMs: nowMs + CLOCK_SKEW_ALLOWANCE_SECONDS * 1000,
      lookbackSeconds: config.lookbackSeconds,
      freshnessSeconds: config.freshnessSeconds[signal],
    };
    let facts: DatasourceFacts;
    try {
      facts = await PROBES[ds.type]({
        ctx,
        datasource: ds,
        services: targetsFor(signal),
        discovery,
        globalIdentity: config.identity[signal],
        window: probeWindow,
      });
    } catch (e) {
      if (isAbortError(e) || options.signal?.aborted) {
        throw abortError();
      }
      facts = emptyFacts(ds, signal);
      facts.failure = {
        verdict: 'error',
        status: null,
        path: '',
        message: `The check itself failed: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
    factsByUid.set(ds.uid, facts);
    emit({ type: 'datasource', result: judgeDatasource(facts, judgeCtx) });
    remaining[signal]--;
    if (!discovery && remaining[signal] > 0) {
      const judged = new Map<string, JudgedDatasourceCell>();
      for (const s of expectedFor(signal)) {
        judged.set(s.name, judgeInDatasource(facts, signal, s.name));
      }
      judgedByUid.set(ds.uid, judged);
    }
    if (remaining[signal] === 0) {
      const names = discovery
        ? [...new Set(bySignal[signal].flatMap((d) => factsByUid.get(d.uid)!.seen))]
        : expectedFor(signal).map((s) => s.name);
      const cells = judgeSignalCells(signal, names);
      cellsBySignal.set(signal, cells);
      for (const [service, cell] of cells) {
        emit({ type: 'cell', service, signal, cell });
      }
    }
  };

  let onAbort: (() => void) | undefined;
  const cancelled = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError());
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  cancelled.catch(() => undefined);
  try {
    await Promise.race([Promise.all(selected.map(probeOne)), cancelled]);
  } finally {
    if (onAbort) {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  const datasources: DatasourceResult[] = selected.map((ds) => judgeDatasource(factsByUid.get(ds.uid)!, judgeCtx));

  // Rows: the expected services in config order, or in discovery every service any signal sees.
  const services: ServiceResult[] = [];
  if (discovery) {
    const names = [...new Set(selected.flatMap((ds) => factsByUid.get(ds.uid)!.seen))].sort();
    for (const signal of SIGNALS) {
      const have = cellsBySignal.get(signal) ?? new Map<string, CellResult>();
      const missingNames = names.filter((n) => !have.has(n));
      for (const [n, c] of judgeSignalCells(signal, missingNames)) {
        have.set(n, c);
      }
      cellsBySignal.set(signal, have);
    }
    for (const name of names) {
      const signals: Partial<Record<Signal, CellResult>> = {};
      for (const signal of SIGNALS) {
        signals[signal] = cellsBySignal.get(signal)!.get(name)!;
      }
      services.push({ name, expected: false, signals });
    }
  } else {
    for (const s of config.services) {
      const signals: Partial<Record<Signal, CellResult>> = {};
      for (const signal of s.signals ?? SIGNALS) {
        signals[signal] = cellsBySignal.get(signal)?.get(s.name) ?? judgeSignalCells(signal, [s.name]).get(s.name)!;
      }
      services.push({ name: s.name, expected: true, signals });
    }
  }

  const cells = services.flatMap((s) => Object.values(s.signals).filter((c): c is CellResult => c !== undefined));
  const byStatus = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const c of cells) {
    byStatus[c.status]++;
  }
  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'telemetry-truth', version: options.toolVersion ?? '0.0.0' },
    generatedAt: new Date(nowMs).toISOString(),
    verdict: overallVerdict(mode, cells, datasources),
    mode,
    lookbackSeconds: config.lookbackSeconds,
    freshnessSeconds: config.freshnessSeconds,
    datasources,
    services,
    summary: { services: services.length, cells: cells.length, byStatus },
  };
  return { report, stats };
}
