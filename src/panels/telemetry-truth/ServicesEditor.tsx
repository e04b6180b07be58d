import React, { useEffect, useState } from 'react';
import type { SelectableValue, StandardEditorProps } from '@grafana/data';
import { MultiSelect } from '@grafana/ui';

export interface ServicesEditorSettings {
  /** The app's expected service names (from its settings); rejects with a sentence when unreadable. */
  loadNames: () => Promise<string[]>;
}

/**
 * Picks the panel's services from the ones the app expects, so a typo does not silently show nothing.
 * Names the app does not (yet) expect can still be typed; the panel then points at the configuration.
 */
export function ServicesEditor({ value, onChange, item, id }: StandardEditorProps<string[], ServicesEditorSettings>) {
  const loadNames = item.settings?.loadNames;
  const [names, setNames] = useState<string[] | null>(() => (loadNames ? null : []));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    if (!loadNames) {
      return;
    }
    loadNames().then(
      (n) => live && setNames(n),
      (err: unknown) => {
        if (live) {
          setNames([]);
          setError(err instanceof Error ? err.message : 'the expected services could not be loaded');
        }
      }
    );
    return () => {
      live = false;
    };
  }, [loadNames]);

  const selected = value ?? [];
  const options: Array<SelectableValue<string>> = [...new Set([...(names ?? []), ...selected])].map((n) => ({
    label: n,
    value: n,
    description: names && !names.includes(n) ? 'not expected by the app' : undefined,
  }));
  return (
    <>
      <MultiSelect<string>
        inputId={id}
        aria-label="Chosen services"
        options={options}
        value={selected}
        isLoading={names === null}
        allowCustomValue
        placeholder={names && names.length === 0 ? 'Type a service name' : 'Choose services'}
        onChange={(items) => onChange(items.map((i) => i.value).filter((v): v is string => typeof v === 'string'))}
      />
      {error && <div role="alert">Expected services unavailable: {error}. You can still type names.</div>}
    </>
  );
}
