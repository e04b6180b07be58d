import { useCallback, useEffect, useRef, useState } from 'react';
import { loadAppSettings, type AppSettingsResult } from './settings';

export interface AppSettingsState {
  loading: boolean;
  result: AppSettingsResult | null;
  reload: () => void;
}

/** Loads the app settings once (and on `reload`), so a save elsewhere is picked up without a page reload. */
export function useAppSettings(load: () => Promise<AppSettingsResult> = loadAppSettings): AppSettingsState {
  const [result, setResult] = useState<AppSettingsResult | null>(null);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  useEffect(() => {
    let live = true;
    loadRef.current().then((r) => {
      if (live) {
        setResult(r);
      }
    });
    return () => {
      live = false;
    };
  }, [tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  // Only the first load shows as loading: a reload after a save keeps the page on screen.
  return { loading: result === null, result, reload };
}
