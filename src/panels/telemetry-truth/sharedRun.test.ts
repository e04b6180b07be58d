import { report, service, cell } from '../../test/fixtures';
import { checkConfig, DATASOURCES, fakeEngine, flush } from './testing';
import { runKey, type RunSnapshot } from './sharedRun';

const CONFIG = checkConfig([{ name: 'checkout' }, { name: 'scanium-backend' }]);

function collect(engine: ReturnType<typeof fakeEngine>, key: string) {
  const seen: RunSnapshot[] = [];
  const unsubscribe = engine.store.subscribe(key, (s) => seen.push(s));
  return { seen, last: () => seen[seen.length - 1], unsubscribe };
}

describe('SharedRunStore', () => {
  it('keys runs by the visible datasources, whatever their order', () => {
    expect(runKey(DATASOURCES)).toBe(runKey([...DATASOURCES].reverse()));
    expect(runKey(DATASOURCES)).not.toBe(runKey(DATASOURCES.slice(1)));
  });

  it('starts one run for several requests while it is in flight, and one request per datasource', async () => {
    const engine = fakeEngine({ jsonData: CONFIG });
    const key = engine.store.currentKey();
    const a = collect(engine, key);
    const b = collect(engine, key);
    expect(engine.store.request(key)).toBe(true);
    expect(engine.store.request(key)).toBe(false);
    await flush();
    expect(engine.settingsLoads).toBe(1);
    expect(engine.runs).toHaveLength(1);
    expect(engine.requests.map((r) => r.datasource.uid).sort()).toEqual(['LOKI', 'MIMIR', 'TEMPO']);

    await engine.finish(0, report([service('checkout', { metrics: 'ok' })]));
    expect(a.last().phase).toBe('done');
    expect(b.last().report?.services[0].name).toBe('checkout');
  });

  it('coalesces a refresh that comes right after a run started, and runs again for a later one', async () => {
    let now = 1_000_000;
    const engine = fakeEngine({ jsonData: CONFIG, now: () => now, coalesceMs: 2000 });
    const key = engine.store.currentKey();
    collect(engine, key);
    engine.store.request(key);
    await engine.finish(0, report([]));

    now += 1500; // a second panel mounting, or a refresh event delivered late
    expect(engine.store.request(key, now)).toBe(false);
    now += 30_000; // the dashboard's next refresh
    expect(engine.store.request(key, now)).toBe(true);
    await flush();
    expect(engine.runs).toHaveLength(2);
  });

  it('keeps the previous report visible while a refresh is in flight and fills cells as they are judged', async () => {
    let now = 0;
    const engine = fakeEngine({ jsonData: CONFIG, now: () => now });
    const key = engine.store.currentKey();
    const sub = collect(engine, key);
    engine.store.request(key);
    const first = report([service('checkout', { logs: 'ok' })]);
    await engine.finish(0, first);

    now = 60_000;
    engine.store.request(key, now);
    await flush();
    expect(sub.last().phase).toBe('loading');
    expect(sub.last().report).toBe(first);
    engine.runs[1].onProgress?.({ type: 'cell', service: 'checkout', signal: 'logs', cell: cell('stale', 'logs') });
    expect(sub.last().cells.checkout?.logs?.status).toBe('stale');
  });

  it('reports a configuration without services as its own state and probes nothing', async () => {
    const engine = fakeEngine({ jsonData: checkConfig([]) });
    const key = engine.store.currentKey();
    const sub = collect(engine, key);
    engine.store.request(key);
    await flush();
    expect(sub.last().phase).toBe('no-services');
    expect(engine.runs).toHaveLength(0);
    expect(engine.requests).toHaveLength(0);
  });

  it('reports an invalid configuration with the parser’s path-qualified errors', async () => {
    const engine = fakeEngine({
      jsonData: { services: 'nope' },
      parse: () => ({ ok: false, errors: [{ path: 'services', message: 'Expected array, received string' }] }),
    });
    const key = engine.store.currentKey();
    const sub = collect(engine, key);
    engine.store.request(key);
    await flush();
    expect(sub.last().phase).toBe('invalid-config');
    expect(sub.last().configErrors).toEqual(['services: Expected array, received string']);
  });

  it('turns a failed settings load or engine error into an error state with the reason', async () => {
    const engine = fakeEngine({ loadError: new Error('you may not read the app settings') });
    const key = engine.store.currentKey();
    const sub = collect(engine, key);
    engine.store.request(key);
    await flush();
    expect(sub.last()).toMatchObject({ phase: 'error', error: 'you may not read the app settings' });

    const engine2 = fakeEngine({ jsonData: CONFIG });
    const sub2 = collect(engine2, key);
    engine2.store.request(key);
    await engine2.fail(0, new Error('runCheck exploded'));
    expect(sub2.last()).toMatchObject({ phase: 'error', error: 'runCheck exploded' });
  });

  it('cancels the run in flight when the last panel goes away', async () => {
    const engine = fakeEngine({ jsonData: CONFIG });
    const key = engine.store.currentKey();
    const a = collect(engine, key);
    const b = collect(engine, key);
    engine.store.request(key);
    await flush();
    const signal = engine.runs[0].signal!;
    a.unsubscribe();
    expect(signal.aborted).toBe(false);
    b.unsubscribe();
    expect(signal.aborted).toBe(true);
    expect(engine.store.getSnapshot(key)).toBeNull();
  });
});
