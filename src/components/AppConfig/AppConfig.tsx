import React from 'react';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { ConfigForm } from './ConfigForm';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<Record<string, unknown>>> {}

/** The form on Grafana's plugin settings page (Administration → Plugins → Telemetry Truth → Configuration). */
const AppConfig = ({ plugin }: AppConfigProps) => <ConfigForm jsonData={plugin.meta.jsonData ?? {}} />;

export default AppConfig;
