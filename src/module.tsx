import React, { Suspense, lazy } from 'react';
import { AppPlugin, type AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
import type { AppConfigProps } from './components/AppConfig/AppConfig';

// Grafana renders the loading state for the root page itself (its routes sit under a Suspense boundary on
// 10.3 and later), so the root is passed lazily without its own Suspense; nothing heavy loads eagerly.
const LazyApp = lazy(() => import('./components/App/App'));
const LazyAppConfig = lazy(() => import('./components/AppConfig/AppConfig'));

// The config tab on the plugin's settings page is rendered by Grafana without a Suspense boundary.
const AppConfig = (props: AppConfigProps) => (
  <Suspense fallback={<LoadingPlaceholder text="Loading the configuration…" />}>
    <LazyAppConfig {...props} />
  </Suspense>
);

export const plugin = new AppPlugin<Record<string, unknown>>()
  .setRootPage(LazyApp as unknown as React.ComponentType<AppRootProps<Record<string, unknown>>>)
  .addConfigPage({
    title: 'Configuration',
    icon: 'cog',
    body: AppConfig,
    id: 'configuration',
  });
