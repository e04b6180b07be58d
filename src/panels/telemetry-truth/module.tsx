import { PanelPlugin, type SelectableValue } from '@grafana/data';
import { SIGNALS, type Signal } from '../../engine/model';
import { DEFAULT_OPTIONS, normalizeOptions, type PanelOptions } from './options';
import { ServicesEditor } from './ServicesEditor';
import { loadExpectedServiceNames } from './store';
import { TelemetryTruthPanel } from './TelemetryTruthPanel';

export const plugin = new PanelPlugin<PanelOptions>(TelemetryTruthPanel)
  // Stored options from older versions, hand edits or provisioning files are narrowed to the current shape.
  .setMigrationHandler((panel) => normalizeOptions(panel.options))
  .setPanelOptions((builder) =>
    builder
      .addRadio({
        path: 'serviceMode',
        name: 'Services',
        description: 'Every service the app expects, or only the ones listed here.',
        defaultValue: DEFAULT_OPTIONS.serviceMode,
        settings: {
          options: [
            { value: 'all', label: 'All expected' },
            { value: 'chosen', label: 'Chosen' },
          ],
        },
      })
      .addCustomEditor({
        id: 'services',
        path: 'services',
        name: 'Chosen services',
        description: 'Pick from the services the app expects, or type a name.',
        editor: ServicesEditor,
        settings: { loadNames: loadExpectedServiceNames },
        defaultValue: DEFAULT_OPTIONS.services,
        showIf: (o) => o.serviceMode === 'chosen',
      })
      .addMultiSelect({
        path: 'signals',
        name: 'Signals',
        defaultValue: DEFAULT_OPTIONS.signals,
        // The 10.3 builder types a multi-select's options by the option's (array) value; each entry is one signal.
        settings: {
          options: SIGNALS.map((s) => ({ value: s, label: s })) as unknown as Array<SelectableValue<Signal[]>>,
        },
      })
      .addRadio({
        path: 'layout',
        name: 'Layout',
        description: 'A compact row of badges fits a small panel; the grid shows services × signals.',
        defaultValue: DEFAULT_OPTIONS.layout,
        settings: {
          options: [
            { value: 'compact', label: 'Compact' },
            { value: 'grid', label: 'Grid' },
          ],
        },
      })
      .addBooleanSwitch({
        path: 'showAges',
        name: 'Show ages',
        description: 'Age of the newest datum.',
        defaultValue: DEFAULT_OPTIONS.showAges,
      })
      .addBooleanSwitch({
        path: 'showCodes',
        name: 'Show codes',
        description: 'Verdict codes such as TT-LOGS-MISSING.',
        defaultValue: DEFAULT_OPTIONS.showCodes,
      })
  );
