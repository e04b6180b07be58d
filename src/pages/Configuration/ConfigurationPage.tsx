import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { ConfigForm, type ConfigFormDeps } from '../../components/AppConfig/ConfigForm';
import { isAppAdmin } from '../../grafana/permissions';
import { loadAppSettings, type AppSettingsResult } from '../../grafana/settings';
import { useAppSettings } from '../../grafana/useAppSettings';

interface Props {
  fallbackJsonData?: Record<string, unknown>;
  deps?: ConfigFormDeps & { loadSettings?: () => Promise<AppSettingsResult>; isAdmin?: boolean };
}

/** The in-app configuration page (Admin). The nav entry is Admin-only; the save itself is enforced by Grafana. */
export function ConfigurationPage({ fallbackJsonData, deps = {} }: Props) {
  const settings = useAppSettings(deps.loadSettings ?? loadAppSettings);
  const admin = deps.isAdmin ?? isAppAdmin();
  return (
    <PluginPage>
      {!admin && (
        <Alert severity="info" title="Only Org Admins can save this configuration">
          You can try values with “Test now”; saving needs an Org Admin.
        </Alert>
      )}
      {settings.loading ? (
        <LoadingPlaceholder text="Loading the app settings…" />
      ) : (
        <ConfigForm
          jsonData={(settings.result?.ok ? settings.result.jsonData : fallbackJsonData) ?? {}}
          deps={deps}
          onSaved={settings.reload}
        />
      )}
    </PluginPage>
  );
}
