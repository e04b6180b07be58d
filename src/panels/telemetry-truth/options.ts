import { SIGNALS, type Signal } from '../../engine/model';

/** Which services a panel shows: every expected service of the app, or a chosen list. */
export type ServiceMode = 'all' | 'chosen';
/** `compact`: one wrapping row of badges (fits a 200×100 panel); `grid`: services × signals. */
export type PanelLayout = 'compact' | 'grid';

/** The panel's options, stored in the dashboard JSON. One type, one set of defaults. */
export interface PanelOptions {
  serviceMode: ServiceMode;
  /** Used when serviceMode is `chosen`. */
  services: string[];
  signals: Signal[];
  layout: PanelLayout;
  showAges: boolean;
  showCodes: boolean;
}

export const DEFAULT_OPTIONS: PanelOptions = {
  serviceMode: 'all',
  services: [],
  signals: [...SIGNALS],
  layout: 'compact',
  showAges: true,
  showCodes: false,
};

function isSignal(value: unknown): value is Signal {
  return typeof value === 'string' && (SIGNALS as readonly string[]).includes(value);
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') {
    // Hand-edited dashboards (and provisioning files) often hold "a, b" rather than a list.
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (Array.isArray(value)) {
    return value.filter((s): s is string => typeof s === 'string' && s.trim() !== '').map((s) => s.trim());
  }
  return undefined;
}

/**
 * Narrows whatever a dashboard stored into valid options. Used as the migration handler, so a dashboard
 * saved by an older version, edited by hand or provisioned with partial options still renders.
 * Legacy keys: `showAge` (singular), `showCode`, `mode` ('badges' → compact, 'table' → grid).
 */
export function normalizeOptions(stored: unknown): PanelOptions {
  const o: Record<string, unknown> = typeof stored === 'object' && stored !== null ? { ...stored } : {};
  const services = stringList(o.services) ?? DEFAULT_OPTIONS.services;
  const serviceMode: ServiceMode =
    o.serviceMode === 'chosen' || o.serviceMode === 'all'
      ? o.serviceMode
      : services.length > 0 && o.serviceMode === undefined
        ? 'chosen'
        : 'all';
  const signalList = stringList(o.signals)?.filter(isSignal);
  const legacyLayout = o.mode === 'table' ? 'grid' : o.mode === 'badges' ? 'compact' : undefined;
  const layout: PanelLayout =
    o.layout === 'grid' || o.layout === 'compact' ? o.layout : (legacyLayout ?? DEFAULT_OPTIONS.layout);
  const bool = (key: string, legacy: string, fallback: boolean): boolean => {
    for (const value of [o[key], o[legacy]]) {
      if (typeof value === 'boolean') {
        return value;
      }
    }
    return fallback;
  };
  return {
    serviceMode,
    services,
    // Signals keep the product's order, whatever order they were stored in.
    signals:
      signalList && signalList.length > 0
        ? SIGNALS.filter((s) => signalList.includes(s))
        : [...DEFAULT_OPTIONS.signals],
    layout,
    showAges: bool('showAges', 'showAge', DEFAULT_OPTIONS.showAges),
    showCodes: bool('showCodes', 'showCode', DEFAULT_OPTIONS.showCodes),
  };
}
