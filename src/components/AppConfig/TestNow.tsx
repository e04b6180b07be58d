import React, { useMemo } from 'react';
import { Alert, Text } from '@grafana/ui';
import type { CheckConfig } from '../../engine';
import { useCheckRun, type CheckRunDeps } from '../../grafana/useCheckRun';
import { Matrix } from '../Matrix/Matrix';
import { buildRows } from '../Matrix/matrix.utils';
import { SummaryLine } from '../../pages/Truth/SummaryLine';

/** Runs the check with the form's unsaved values and shows the result inline. */
export function TestNow({ config, deps }: { config: CheckConfig; deps: CheckRunDeps }) {
  const run = useCheckRun(config, deps);
  const rows = useMemo(
    () =>
      buildRows(
        config.services.map((s) => s.name),
        run.cells
      ),
    [config, run.cells]
  );
  return (
    <section aria-label="Test result">
      <Text element="h3" variant="h5">
        Test with the unsaved values
      </Text>
      <SummaryLine rows={rows} status={run.status} at={run.finishedAt ?? run.startedAt} config={config} />
      {run.status === 'error' && (
        <Alert severity="error" title="The check itself failed">
          {run.error}
        </Alert>
      )}
      <Matrix rows={rows} running={run.status === 'running'} onSelect={() => undefined} />
    </section>
  );
}
