/** Which datasources a run probes: types we know, include/exclude by uid, each uid once. */
import { BACKEND_TYPES, CheckConfig, DatasourceRef, Signal, SIGNAL_OF_BACKEND } from './model';

export function selectDatasources(
  all: readonly DatasourceRef[],
  config: Pick<CheckConfig, 'datasources'>
): DatasourceRef[] {
  const include = new Set(config.datasources.include);
  const exclude = new Set(config.datasources.exclude);
  const seen = new Set<string>();
  return all.filter((ds) => {
    if (!BACKEND_TYPES.includes(ds.type) || seen.has(ds.uid)) {
      return false;
    }
    if ((include.size > 0 && !include.has(ds.uid)) || exclude.has(ds.uid)) {
      return false;
    }
    seen.add(ds.uid);
    return true;
  });
}

export function datasourcesBySignal(list: readonly DatasourceRef[]): Record<Signal, DatasourceRef[]> {
  const out: Record<Signal, DatasourceRef[]> = { metrics: [], logs: [], traces: [] };
  for (const ds of list) {
    out[SIGNAL_OF_BACKEND[ds.type]].push(ds);
  }
  return out;
}
