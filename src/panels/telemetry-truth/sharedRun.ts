/**
 * One probe run shared by every Telemetry Truth panel on the page.
 *
 * A dashboard with four of these panels refreshes all four at once; each would otherwise load the app
 * settings and probe every datasource itself, taking 4× the slots of Grafana's 5-request browser queue.
 * The store keeps one run per key (the visible datasources; the config is loaded inside the run) and
 * hands it to every panel that asks within `coalesceMs` of its start, or while it is still in flight.
 */
import type { CellResult, CheckConfig, DatasourceRef, Report, Signal, Transport } from '../../engine/model';
import type { RunCheckOptions } from '../../engine';

export type ConfigParseResult =
  { ok: true; config: CheckConfig } | { ok: false; errors: Array<{ path: string; message: string }> };

export interface PanelRunDeps {
  /** The app's jsonData (GET /api/plugins/<app>/settings). */
  loadJsonData(): Promise<unknown>;
  parseConfig(input: unknown): ConfigParseResult;
  listDatasources(): DatasourceRef[];
  createTransport(): Transport;
  runCheck(options: RunCheckOptions): Promise<Report>;
  runbookBaseUrl?: string;
  now?: () => number;
}

export type RunPhase = 'loading' | 'done' | 'error' | 'no-services' | 'invalid-config';

export interface RunSnapshot {
  phase: RunPhase;
  /** Known once the settings are loaded; lets panels show which badges are still pending. */
  config: CheckConfig | null;
  /** The last completed report; kept while a refresh is in flight so panels do not flash. */
  report: Report | null;
  /** Cells of the run in flight, as the engine judges them. */
  cells: Record<string, Partial<Record<Signal, CellResult>>>;
  error: string | null;
  configErrors: string[];
  startedAt: number;
}

type Listener = (snapshot: RunSnapshot) => void;

interface Entry {
  snapshot: RunSnapshot;
  listeners: Set<Listener>;
  controller: AbortController | null;
  generation: number;
}

/** Key of the shared run: the datasources it would probe (uid + type, order-independent). */
export function runKey(datasources: DatasourceRef[]): string {
  return datasources
    .map((d) => `${d.type}:${d.uid}`)
    .sort()
    .join(',');
}

function describeError(err: unknown): string {
  if (err instanceof Error && err.message) {
    return err.message;
  }
  if (typeof err === 'object' && err !== null && 'status' in err) {
    return `the request failed with HTTP ${String(err.status)}`;
  }
  return 'unknown error';
}

function isAbort(err: unknown): boolean {
  return (
    err instanceof Error && (err.name === 'AbortError' || (err.name === 'TransportError' && /abort/i.test(err.message)))
  );
}

export class SharedRunStore {
  private entries = new Map<string, Entry>();

  constructor(
    private readonly deps: PanelRunDeps,
    private readonly coalesceMs = 2000
  ) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Current key, from the datasources Grafana lists for this user right now. */
  currentKey(): string {
    return runKey(this.deps.listDatasources());
  }

  getSnapshot(key: string): RunSnapshot | null {
    return this.entries.get(key)?.snapshot ?? null;
  }

  /** Subscribes to a key's run; when the last subscriber leaves, a run in flight is cancelled. */
  subscribe(key: string, listener: Listener): () => void {
    const entry = this.entry(key);
    entry.listeners.add(listener);
    listener(entry.snapshot);
    return () => {
      entry.listeners.delete(listener);
      if (entry.listeners.size === 0) {
        entry.controller?.abort();
        this.entries.delete(key);
      }
    };
  }

  /**
   * Asks for results at least as new as `requestedAt` (the refresh moment). Starts a run unless one is
   * in flight or one started within `coalesceMs` before that moment; returns whether it started one.
   */
  request(key: string, requestedAt = this.now()): boolean {
    const entry = this.entry(key);
    const s = entry.snapshot;
    if (entry.controller) {
      return false;
    }
    if (s.startedAt > 0 && s.startedAt >= requestedAt - this.coalesceMs) {
      return false;
    }
    void this.start(key, entry);
    return true;
  }

  private entry(key: string): Entry {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {
        snapshot: {
          phase: 'loading',
          config: null,
          report: null,
          cells: {},
          error: null,
          configErrors: [],
          startedAt: 0,
        },
        listeners: new Set(),
        controller: null,
        generation: 0,
      };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private publish(entry: Entry, patch: Partial<RunSnapshot>) {
    entry.snapshot = { ...entry.snapshot, ...patch };
    for (const listener of entry.listeners) {
      listener(entry.snapshot);
    }
  }

  private async start(key: string, entry: Entry): Promise<void> {
    const controller = new AbortController();
    const generation = ++entry.generation;
    entry.controller = controller;
    const current = () => entry.generation === generation && !controller.signal.aborted;
    this.publish(entry, { phase: 'loading', cells: {}, error: null, configErrors: [], startedAt: this.now() });
    try {
      const jsonData = await this.deps.loadJsonData();
      if (!current()) {
        return;
      }
      const parsed = this.deps.parseConfig(jsonData ?? {});
      if (!parsed.ok) {
        this.publish(entry, {
          phase: 'invalid-config',
          config: null,
          configErrors: parsed.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)),
        });
        return;
      }
      const config = parsed.config;
      if (config.services.length === 0) {
        this.publish(entry, { phase: 'no-services', config, report: null });
        return;
      }
      this.publish(entry, { config });
      const report = await this.deps.runCheck({
        config,
        transport: this.deps.createTransport(),
        datasources: this.deps.listDatasources(),
        signal: controller.signal,
        runbookBaseUrl: this.deps.runbookBaseUrl,
        onProgress: (event) => {
          if (event.type !== 'cell' || !current()) {
            return;
          }
          const cells = { ...entry.snapshot.cells };
          cells[event.service] = { ...cells[event.service], [event.signal]: event.cell };
          this.publish(entry, { cells });
        },
      });
      if (current()) {
        this.publish(entry, { phase: 'done', report, cells: {} });
      }
    } catch (err) {
      if (current() && !isAbort(err)) {
        this.publish(entry, { phase: 'error', error: describeError(err) });
      }
    } finally {
      if (entry.generation === generation) {
        entry.controller = null;
      }
    }
  }
}
