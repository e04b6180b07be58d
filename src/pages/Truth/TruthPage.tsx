import React, { useMemo } from 'react';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, LinkButton, LoadingPlaceholder } from '@grafana/ui';
import type { CheckConfig } from '../../engine';
import { appPath, grafanaHref, ROUTES } from '../../routing/paths';
import { configFromJsonData } from '../../grafana/appConfig';
import { isAppAdmin } from '../../grafana/permissions';
import { loadAppSettings, saveAppSettings, type AppSettingsResult } from '../../grafana/settings';
import { useAppSettings } from '../../grafana/useAppSettings';
import type { CheckRunDeps } from '../../grafana/useCheckRun';
import { testIds } from '../../components/testIds';
import { TruthView } from './TruthView';

export interface TruthDeps extends CheckRunDeps {
  loadSettings?: () => Promise<AppSettingsResult>;
  saveSettings?: (jsonData: Record<string, unknown>) => Promise<void>;
  isAdmin?: boolean;
  canExplore?: boolean;
}

interface Props {
  /** jsonData Grafana handed the app root (used when the settings API refuses this user). */
  fallbackJsonData?: Record<string, unknown>;
  deps?: TruthDeps;
}

/** The overview page: loads the settings, turns them into the engine's config, then shows the run. */
export function TruthPage({ fallbackJsonData, deps = {} }: Props) {
  const settings = useAppSettings(deps.loadSettings ?? loadAppSettings);
  const admin = deps.isAdmin ?? isAppAdmin();

  const jsonData = settings.result?.ok ? settings.result.jsonData : fallbackJsonData;
  const parsed = useMemo(() => (settings.loading ? null : configFromJsonData(jsonData)), [settings.loading, jsonData]);
  const config: CheckConfig | null = parsed?.ok ? parsed.config : null;

  let notice: React.ReactNode = null;
  if (settings.result && !settings.result.ok) {
    notice =
      settings.result.status === 403 ? (
        <Alert severity="warning" title="You may not read this app's settings">
          Grafana refused the settings to your account, so the check uses the settings this page was opened with. Ask an
          Org Admin for access if the expected services look wrong.
        </Alert>
      ) : (
        <Alert severity="warning" title="The app settings could not be loaded">
          {settings.result.message} The check uses the settings this page was opened with.{' '}
          <Button size="sm" variant="secondary" onClick={settings.reload}>
            Retry
          </Button>
        </Alert>
      );
  }

  return (
    <PluginPage>
      <div data-testid={testIds.page.container}>
        {notice}
        {settings.loading ? (
          <LoadingPlaceholder text="Loading the app settings…" />
        ) : parsed && !parsed.ok ? (
          <Alert severity="error" title="The saved configuration is not valid">
            <ul>
              {parsed.errors.map((e) => (
                <li key={`${e.path}:${e.message}`}>
                  <code>{e.path || '(root)'}</code>: {e.message}
                </li>
              ))}
            </ul>
            {admin ? (
              <LinkButton href={grafanaHref(appPath(ROUTES.Configuration, {}))} icon="cog" variant="secondary">
                Fix the configuration
              </LinkButton>
            ) : (
              'Ask an Org Admin to fix the app configuration.'
            )}
          </Alert>
        ) : (
          <TruthView
            config={config}
            jsonData={jsonData ?? {}}
            deps={deps}
            isAdmin={admin}
            save={async (next) => {
              await (deps.saveSettings ?? saveAppSettings)(next);
              settings.reload();
            }}
          />
        )}
      </div>
    </PluginPage>
  );
}

export default TruthPage;
