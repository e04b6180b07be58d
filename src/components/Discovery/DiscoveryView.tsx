import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Text, useStyles2 } from '@grafana/ui';
import { SIGNALS, type DatasourceResult, type Signal } from '../../engine';
import { PendingBadge } from '../StatusBadge/StatusBadge';
import { testIds } from '../testIds';

interface Props {
  results: DatasourceResult[];
  /** Already expected (so the button says so). */
  expected: string[];
  isAdmin: boolean;
  /** While true, a signal with no answer yet shows a spinner instead of "No service seen". */
  running?: boolean;
  /** Saves the service into the expected list; rejects with the reason. */
  onAdd: (service: string) => Promise<void>;
}

/** Per signal, the service names each datasource sees; Admins add one to the expected list in one click. */
export function DiscoveryView({ results, expected, isAdmin, running = false, onAdd }: Props) {
  const styles = useStyles2(getStyles);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string[]>([]);
  const isExpected = (name: string) => expected.includes(name) || added.includes(name);

  const add = async (name: string) => {
    setBusy(name);
    setError(null);
    try {
      await onAdd(name);
      setAdded((a) => [...a, name]);
    } catch (e) {
      setError(`Could not add ${name}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(null);
    }
  };

  const bySignal = (signal: Signal) => {
    const names = new Set<string>();
    for (const r of results) {
      if (r.signal === signal) {
        r.seenServices.forEach((s) => names.add(s));
      }
    }
    return [...names].sort();
  };

  return (
    <section data-testid={testIds.discovery.container} aria-label="Discovered services">
      {error && (
        <Alert severity="error" title="Saving the expected services failed">
          {error}
        </Alert>
      )}
      {!isAdmin && (
        <Text color="secondary">Ask an Org Admin to add the services you expect in the app&apos;s configuration.</Text>
      )}
      <div className={styles.columns}>
        {SIGNALS.map((signal) => {
          const names = bySignal(signal);
          return (
            <div key={signal}>
              <Text element="h3" variant="h5">
                {signal} ({names.length})
              </Text>
              {names.length === 0 && running && !results.some((r) => r.signal === signal) ? (
                <PendingBadge label={`Discovering ${signal} services`} />
              ) : names.length === 0 ? (
                <Text color="secondary">No service seen.</Text>
              ) : (
                <ul className={styles.list}>
                  {names.map((name) => (
                    <li key={name}>
                      <span className={styles.name}>{name}</span>
                      {isAdmin &&
                        (isExpected(name) ? (
                          <Text variant="bodySmall" color="secondary">
                            expected
                          </Text>
                        ) : (
                          <Button
                            size="sm"
                            variant="secondary"
                            icon="plus"
                            disabled={busy !== null}
                            onClick={() => add(name)}
                            aria-label={`Add ${name} to expected services`}
                            data-testid={testIds.discovery.add(name)}
                          >
                            Expect
                          </Button>
                        ))}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          );
        })}
      </div>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  columns: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(240px, 1fr))', gap: theme.spacing(2) }),
  list: css({
    listStyle: 'none',
    padding: 0,
    li: {
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'space-between',
      gap: theme.spacing(1),
      padding: theme.spacing(0.25, 0),
    },
  }),
  name: css({ wordBreak: 'break-all' }),
});
