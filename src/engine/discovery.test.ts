/** @jest-environment node */
import { datasourcesBySignal, selectDatasources } from './discovery';
import { DatasourceRef } from './model';

const refs = [
  { uid: 'prom', name: 'Prometheus', type: 'prometheus' },
  { uid: 'mimir', name: 'Mimir', type: 'prometheus' },
  { uid: 'loki', name: 'Loki', type: 'loki' },
  { uid: 'tempo', name: 'Tempo', type: 'tempo' },
  { uid: 'es', name: 'Elasticsearch', type: 'elasticsearch' },
  { uid: 'loki', name: 'Loki again', type: 'loki' },
] as unknown as DatasourceRef[];

describe('selectDatasources', () => {
  it('keeps Prometheus (incl. Mimir), Loki and Tempo, each uid once', () => {
    expect(selectDatasources(refs, { datasources: { include: [], exclude: [] } }).map((d) => d.uid)).toEqual([
      'prom',
      'mimir',
      'loki',
      'tempo',
    ]);
  });

  it('include narrows, exclude removes', () => {
    expect(
      selectDatasources(refs, { datasources: { include: ['mimir', 'loki', 'es'], exclude: ['loki'] } }).map(
        (d) => d.uid
      )
    ).toEqual(['mimir']);
  });

  it('groups by signal', () => {
    const by = datasourcesBySignal(selectDatasources(refs, { datasources: { include: [], exclude: [] } }));
    expect(Object.fromEntries(Object.entries(by).map(([s, l]) => [s, l.map((d) => d.uid)]))).toEqual({
      metrics: ['prom', 'mimir'],
      logs: ['loki'],
      traces: ['tempo'],
    });
  });
});
