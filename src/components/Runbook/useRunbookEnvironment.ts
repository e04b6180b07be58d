import { useEffect, useMemo, useState } from 'react';
import { getDataSourceSrv } from '@grafana/runtime';

import { BACKEND_TYPES, type BackendType } from '../../engine/model';
import { loadAppSettings } from '../../grafana/settings';
import { runbookUrlsFromJsonData, type QueryDatasource } from './context';

function isBackendType(type: string): type is BackendType {
  return (BACKEND_TYPES as readonly string[]).includes(type);
}

/** Datasources the user may query (boot data; works for Viewers). Empty when Grafana's services are absent. */
export function listQueryDatasources(): QueryDatasource[] {
  try {
    return getDataSourceSrv()
      .getList({ type: [...BACKEND_TYPES] })
      .flatMap((ds) =>
        isBackendType(ds.type) ? [{ uid: ds.uid, name: ds.name, type: ds.type, isDefault: ds.isDefault }] : []
      );
  } catch {
    return [];
  }
}

/**
 * The organisation's runbook overrides (`jsonData.runbookUrls`, code → URL). Given `fromProps`, those are used and
 * nothing is loaded; otherwise the app settings are read once. A failed read just means "no overrides".
 */
export function useRunbookOverrides(fromProps?: Record<string, string>): Record<string, string> {
  const [loaded, setLoaded] = useState<Record<string, string>>({});
  const skip = fromProps !== undefined;
  useEffect(() => {
    if (skip) {
      return;
    }
    let live = true;
    loadAppSettings().then(
      (result) => {
        if (live && result.ok) {
          setLoaded(runbookUrlsFromJsonData(result.jsonData));
        }
      },
      () => undefined
    );
    return () => {
      live = false;
    };
  }, [skip]);
  return useMemo(() => (fromProps ? runbookUrlsFromJsonData({ runbookUrls: fromProps }) : loaded), [fromProps, loaded]);
}
