/** The module-wide store: every Telemetry Truth panel in this browser tab shares it (one module instance). */
import { config as grafanaConfig } from '@grafana/runtime';
import { runCheck } from '../../engine';
import { parseConfig } from '../../engine/config';
import { appPath, ROUTES } from '../../engine/links/routes';
import { BROWSER_CONCURRENCY_CAP, createBackendSrvTransport, listDatasources, loadAppSettings } from '../../grafana';
import { SharedRunStore } from './sharedRun';

let store: SharedRunStore | null = null;

/** The app's saved jsonData; a sentence a panel can show when this user may not read it. */
async function loadJsonData(): Promise<Record<string, unknown>> {
  const settings = await loadAppSettings();
  if (!settings.ok) {
    throw new Error(
      settings.status === 403
        ? 'you may not read the app settings; ask an Org Admin for access to the Telemetry Truth app'
        : `the app settings could not be loaded (${settings.message})`
    );
  }
  return settings.jsonData;
}

/** Names of the services the app expects, for the panel editor's picker. */
export async function loadExpectedServiceNames(): Promise<string[]> {
  const parsed = parseConfig(await loadJsonData(), { allowUnknownKeys: true });
  return parsed.ok ? parsed.config.services.map((s) => s.name) : [];
}

export function getDefaultStore(): SharedRunStore {
  if (!store) {
    store = new SharedRunStore({
      loadJsonData,
      // Top-level keys the panel does not know (e.g. left by older versions) are the config page's business.
      parseConfig: (input) => parseConfig(input, { allowUnknownKeys: true }),
      listDatasources,
      createTransport: () => createBackendSrvTransport(),
      // Grafana's browser fetch queue runs 5 requests at a time for the whole tab; never ask for more.
      runCheck: (options) =>
        runCheck({
          ...options,
          config: {
            ...options.config,
            concurrency: Math.max(1, Math.min(options.config.concurrency, BROWSER_CONCURRENCY_CAP)),
          },
        }),
      runbookBaseUrl: appPath(ROUTES.Runbooks, {}, grafanaConfig.appSubUrl ?? ''),
    });
  }
  return store;
}
