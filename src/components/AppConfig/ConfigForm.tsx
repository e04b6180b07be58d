import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, SelectableValue } from '@grafana/data';
import {
  Alert,
  Button,
  Checkbox,
  CollapsableSection,
  Field,
  FieldSet,
  IconButton,
  Input,
  MultiSelect,
  RadioButtonGroup,
  Stack,
  Text,
  useStyles2,
} from '@grafana/ui';
import { RUNBOOK_CODES, SIGNALS, type CheckConfig, type DatasourceRef, type Signal } from '../../engine';
import { parseConfig, type ConfigError } from '../../engine/config';
import { configFromJsonData, jsonDataFor } from '../../grafana/appConfig';
import { listDatasources } from '../../grafana/datasources';
import { saveAppSettings } from '../../grafana/settings';
import { testIds } from '../testIds';
import {
  draftFromConfig,
  emptyService,
  errorsAt,
  userInputFromDraft,
  type ConfigDraft,
  type IdentityDraft,
  type IdentityKind,
} from './configForm.utils';
import { TestNow } from './TestNow';
import type { CheckRunDeps } from '../../grafana/useCheckRun';

export interface ConfigFormDeps extends CheckRunDeps {
  saveSettings?: (jsonData: Record<string, unknown>) => Promise<void>;
}

interface Props {
  jsonData: Record<string, unknown>;
  deps?: ConfigFormDeps;
  /** Called with the saved jsonData. */
  onSaved?: (jsonData: Record<string, unknown>) => void;
}

const GLOBAL_KIND_OPTIONS: Array<SelectableValue<IdentityKind>> = [
  { label: 'Label', value: 'label' },
  { label: 'Selector', value: 'selector' },
];
const SERVICE_KIND_OPTIONS: Array<SelectableValue<IdentityKind>> = [
  { label: 'Global', value: 'default' },
  ...GLOBAL_KIND_OPTIONS,
];
const PLACEHOLDER: Record<Signal, { label: string; selector: string }> = {
  metrics: { label: 'job', selector: '{job="scanium-backend"}' },
  logs: { label: 'service_name', selector: '{service_name="scanium-backend"}' },
  traces: { label: 'service.name', selector: '{ resource.service.name = "scanium-backend" }' },
};

/** The Admin form for the engine's configuration, validated by the engine's own schema. */
export function ConfigForm({ jsonData, deps = {}, onSaved }: Props) {
  const styles = useStyles2(getStyles);
  const initial = useMemo(() => configFromJsonData(jsonData), [jsonData]);
  const [draft, setDraft] = useState<ConfigDraft>(() => draftFromConfig(initial.ok ? initial.config : undefined));
  const [errors, setErrors] = useState<ConfigError[]>(initial.ok ? [] : initial.errors);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [testConfig, setTestConfig] = useState<CheckConfig | null>(null);
  const [datasources] = useState<DatasourceRef[]>(() => (deps.listDatasources ?? listDatasources)());

  const update = (fn: (d: ConfigDraft) => ConfigDraft) => {
    setDraft(fn);
    setSaved(false);
  };
  const validate = (): CheckConfig | null => {
    const result = parseConfig(userInputFromDraft(draft));
    setErrors(result.ok ? [] : result.errors);
    return result.ok ? result.config : null;
  };
  const err = (path: string) => errorsAt(errors, path);

  const onSave = async () => {
    setSaveError(null);
    const config = validate();
    if (!config) {
      return;
    }
    setSaving(true);
    try {
      const next = jsonDataFor(config, jsonData);
      await (deps.saveSettings ?? saveAppSettings)(next);
      setSaved(true);
      onSaved?.(next);
    } catch (e) {
      setSaveError(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  const dsOptions: Array<SelectableValue<string>> = datasources.map((d) => ({
    label: `${d.name} (${d.type})`,
    value: d.uid,
    description: d.uid,
  }));
  const withUnknown = (uids: string[]) => [
    ...dsOptions,
    ...uids
      .filter((u) => !datasources.some((d) => d.uid === u))
      .map((u) => ({ label: `${u} (not visible to you)`, value: u })),
  ];

  const identityEditor = (
    value: IdentityDraft,
    onChange: (v: IdentityDraft) => void,
    signal: Signal,
    options: Array<SelectableValue<IdentityKind>>,
    label: string
  ) => (
    <FieldGroup>
      <RadioButtonGroup
        size="sm"
        aria-label={`${label} kind`}
        options={options}
        value={value.kind}
        onChange={(kind) => onChange({ ...value, kind })}
      />
      {value.kind !== 'default' && (
        <Input
          aria-label={label}
          width={40}
          value={value.value}
          placeholder={PLACEHOLDER[signal][value.kind]}
          onChange={(e) => onChange({ ...value, value: e.currentTarget.value })}
        />
      )}
    </FieldGroup>
  );

  return (
    <div data-testid={testIds.appConfig.container} className={styles.form}>
      {!initial.ok && (
        <Alert severity="warning" title="The saved configuration is not valid">
          The form shows defaults where the saved values could not be read; fix the fields marked below and save.
        </Alert>
      )}
      {errors.length > 0 && (
        <Alert severity="error" title={`${errors.length} problem${errors.length > 1 ? 's' : ''} to fix before saving`}>
          <ul>
            {errors.map((e) => (
              <li key={`${e.path}:${e.message}`}>
                <code>{e.path || '(root)'}</code>: {e.message}
              </li>
            ))}
          </ul>
        </Alert>
      )}

      <FieldSet label="Expected services">
        <Text color="secondary" element="p">
          The services that must send telemetry. Leave empty for discovery mode (the page shows what each signal sees).
        </Text>
        <ul className={styles.services} data-testid={testIds.appConfig.services}>
          {draft.services.map((svc, i) => (
            <li key={svc.key} className={styles.service}>
              <Stack gap={1} alignItems="flex-start" wrap="wrap">
                <Field
                  label="Name"
                  invalid={!!err(`services[${i}].name`) || !!err(`services[${i}]`)}
                  error={err(`services[${i}]`)}
                >
                  <Input
                    width={32}
                    aria-label={`Service ${i + 1} name`}
                    value={svc.name}
                    onChange={(e) => {
                      const name = e.currentTarget.value;
                      update((d) => ({ ...d, services: d.services.map((s, j) => (j === i ? { ...s, name } : s)) }));
                    }}
                  />
                </Field>
                <Field label="Signals">
                  <FieldGroup>
                    {SIGNALS.map((sig) => (
                      <Checkbox
                        key={sig}
                        label={sig}
                        aria-label={`Service ${i + 1} sends ${sig}`}
                        value={svc.signals.includes(sig)}
                        onChange={(e) => {
                          const on = e.currentTarget.checked;
                          update((d) => ({
                            ...d,
                            services: d.services.map((s, j) =>
                              j === i
                                ? { ...s, signals: on ? [...s.signals, sig] : s.signals.filter((x) => x !== sig) }
                                : s
                            ),
                          }));
                        }}
                      />
                    ))}
                  </FieldGroup>
                </Field>
                <IconButton
                  name="trash-alt"
                  tooltip={`Remove ${svc.name || `service ${i + 1}`}`}
                  onClick={() => update((d) => ({ ...d, services: d.services.filter((_, j) => j !== i) }))}
                />
              </Stack>
              <CollapsableSection
                label="Identity overrides for this service"
                isOpen={SIGNALS.some((s) => svc.identity[s].kind !== 'default')}
              >
                {SIGNALS.map((sig) => (
                  <Field
                    key={sig}
                    label={sig}
                    invalid={!!err(`services[${i}].identity.${sig}`)}
                    error={err(`services[${i}].identity.${sig}`)}
                  >
                    {identityEditor(
                      svc.identity[sig],
                      (v) =>
                        update((d) => ({
                          ...d,
                          services: d.services.map((s, j) =>
                            j === i ? { ...s, identity: { ...s.identity, [sig]: v } } : s
                          ),
                        })),
                      sig,
                      SERVICE_KIND_OPTIONS,
                      `Service ${i + 1} ${sig} identity`
                    )}
                  </Field>
                ))}
              </CollapsableSection>
            </li>
          ))}
        </ul>
        <Button
          icon="plus"
          variant="secondary"
          size="sm"
          onClick={() => update((d) => ({ ...d, services: [...d.services, emptyService()] }))}
        >
          Add service
        </Button>
      </FieldSet>

      <FieldSet label="How services are recognised">
        {SIGNALS.map((sig) => (
          <Field
            key={sig}
            label={`${sig} identity`}
            description={`A label (default ${PLACEHOLDER[sig].label}) or a full selector for every service`}
            invalid={!!err(`identity.${sig}`)}
            error={err(`identity.${sig}`)}
          >
            {identityEditor(
              draft.identity[sig].kind === 'default'
                ? { kind: 'label', value: PLACEHOLDER[sig].label }
                : draft.identity[sig],
              (v) => update((d) => ({ ...d, identity: { ...d.identity, [sig]: v } })),
              sig,
              GLOBAL_KIND_OPTIONS,
              `${sig} identity`
            )}
          </Field>
        ))}
      </FieldSet>

      <FieldSet label="Windows">
        <Stack gap={2} wrap="wrap">
          {SIGNALS.map((sig) => (
            <Field
              key={sig}
              label={`${sig} freshness`}
              description="ok when the newest datum is younger"
              invalid={!!err(`freshness.${sig}`)}
              error={err(`freshness.${sig}`)}
            >
              <Input
                width={14}
                aria-label={`${sig} freshness`}
                value={draft.freshness[sig]}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  update((d) => ({ ...d, freshness: { ...d.freshness, [sig]: v } }));
                }}
              />
            </Field>
          ))}
          <Field
            label="Lookback"
            description="how far back to look for any data"
            invalid={!!err('lookback')}
            error={err('lookback')}
          >
            <Input
              width={14}
              aria-label="Lookback"
              value={draft.lookback}
              onChange={(e) => {
                const v = e.currentTarget.value;
                update((d) => ({ ...d, lookback: v }));
              }}
            />
          </Field>
        </Stack>
      </FieldSet>

      <FieldSet label="Datasources and limits">
        <Field
          label="Only these datasources"
          description="Empty: every Prometheus, Loki and Tempo datasource"
          invalid={!!err('datasources.include')}
          error={err('datasources.include')}
        >
          <MultiSelect
            aria-label="Include datasources"
            options={withUnknown(draft.include)}
            value={draft.include}
            onChange={(v) => update((d) => ({ ...d, include: v.map((o) => o.value!).filter(Boolean) }))}
          />
        </Field>
        <Field
          label="Never these datasources"
          invalid={!!err('datasources.exclude')}
          error={err('datasources.exclude')}
        >
          <MultiSelect
            aria-label="Exclude datasources"
            options={withUnknown(draft.exclude)}
            value={draft.exclude}
            onChange={(v) => update((d) => ({ ...d, exclude: v.map((o) => o.value!).filter(Boolean) }))}
          />
        </Field>
        <Stack gap={2}>
          <Field label="Timeout per request" invalid={!!err('timeout')} error={err('timeout')}>
            <Input
              width={14}
              aria-label="Timeout"
              value={draft.timeout}
              onChange={(e) => {
                const v = e.currentTarget.value;
                update((d) => ({ ...d, timeout: v }));
              }}
            />
          </Field>
          <Field
            label="Concurrency"
            description="the page never runs more than 5 at once"
            invalid={!!err('concurrency')}
            error={err('concurrency')}
          >
            <Input
              width={10}
              aria-label="Concurrency"
              value={draft.concurrency}
              onChange={(e) => {
                const v = e.currentTarget.value;
                update((d) => ({ ...d, concurrency: v }));
              }}
            />
          </Field>
        </Stack>
      </FieldSet>

      <CollapsableSection label="Runbook URL overrides" isOpen={Object.keys(draft.runbookUrls).length > 0}>
        <Text color="secondary" element="p">
          Point a verdict code at your organisation&apos;s own runbook. Empty uses the built-in one.
        </Text>
        {RUNBOOK_CODES.map((code) => (
          <Field key={code} label={code} invalid={!!err(`runbookUrls.${code}`)} error={err(`runbookUrls.${code}`)}>
            <Input
              aria-label={`Runbook URL for ${code}`}
              placeholder="https://wiki.example.com/runbooks/…"
              value={draft.runbookUrls[code] ?? ''}
              onChange={(e) => {
                const v = e.currentTarget.value;
                update((d) => ({ ...d, runbookUrls: { ...d.runbookUrls, [code]: v } }));
              }}
            />
          </Field>
        ))}
      </CollapsableSection>

      {saveError && (
        <Alert
          severity="error"
          title="Saving failed; your changes are still in the form"
          data-testid={testIds.appConfig.saveError}
        >
          {saveError}
        </Alert>
      )}
      {saved && <Alert severity="success" title="Saved. The overview uses the new configuration on its next check." />}

      <Stack gap={1}>
        <Button
          onClick={onSave}
          disabled={saving}
          data-testid={testIds.appConfig.save}
          icon={saving ? 'spinner' : 'save'}
        >
          Save configuration
        </Button>
        <Button
          variant="secondary"
          icon="play"
          data-testid={testIds.appConfig.testNow}
          onClick={() => {
            const config = validate();
            setTestConfig(config ? { ...config } : null);
          }}
        >
          Test now
        </Button>
      </Stack>
      {testConfig && <TestNow config={testConfig} deps={deps} />}
    </div>
  );
}

/** A row of controls inside a Field; swallows the props Field passes to its child (not DOM attributes). */
function FieldGroup({
  children,
}: {
  children: React.ReactNode;
  invalid?: boolean;
  disabled?: boolean;
  loading?: boolean;
}) {
  return (
    <Stack gap={1} alignItems="center" wrap="wrap">
      {children}
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  form: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), maxWidth: 960 }),
  services: css({ listStyle: 'none', padding: 0, margin: theme.spacing(0, 0, 1) }),
  service: css({
    borderLeft: `2px solid ${theme.colors.border.medium}`,
    padding: theme.spacing(1, 0, 0, 2),
    marginBottom: theme.spacing(1),
  }),
});
