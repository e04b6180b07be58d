import { getDataSourceSrv } from '@grafana/runtime';
import { BACKEND_TYPES, type BackendType, type DatasourceRef } from '../engine';

function isBackendType(type: string): type is BackendType {
  return (BACKEND_TYPES as readonly string[]).includes(type);
}

/**
 * Datasources this user may query, from Grafana's boot data (works for Viewers; `/api/datasources` needs admin).
 * Mimir, Cortex and Thanos are `prometheus` datasources.
 */
export function listDatasources(): DatasourceRef[] {
  const list = getDataSourceSrv().getList({ type: [...BACKEND_TYPES] });
  const refs: DatasourceRef[] = [];
  for (const ds of list) {
    if (isBackendType(ds.type)) {
      refs.push({ uid: ds.uid, name: ds.name, type: ds.type });
    }
  }
  return refs;
}
