import React from 'react';
import { Button, ClipboardButton, Stack } from '@grafana/ui';
import type { CheckConfig, Report } from '../../engine';
import { renderJson, renderMarkdown } from '../../engine/report';
import { testIds } from '../testIds';
import { buildCliCommand, downloadText } from './export.utils';

interface Props {
  report: Report | null;
  config: CheckConfig | null;
  /** Origin + Grafana sub-path, e.g. `https://grafana.example.com/grafana`. */
  grafanaUrl: string;
}

function stamp(report: Report): string {
  return report.generatedAt.replace(/[:.]/g, '-');
}

/** Download the current report with the CLI's renderers, or copy an equivalent CLI command for CI. */
export function ExportBar({ report, config, grafanaUrl }: Props) {
  return (
    <Stack gap={1} wrap="wrap">
      <Button
        icon="download-alt"
        variant="secondary"
        size="sm"
        disabled={!report}
        data-testid={testIds.export.json}
        onClick={() =>
          report && downloadText(`telemetry-truth-${stamp(report)}.json`, renderJson(report), 'application/json')
        }
      >
        Download JSON
      </Button>
      <Button
        icon="download-alt"
        variant="secondary"
        size="sm"
        disabled={!report}
        data-testid={testIds.export.markdown}
        onClick={() =>
          report &&
          downloadText(`telemetry-truth-${stamp(report)}.md`, renderMarkdown(report, { grafanaUrl }), 'text/markdown')
        }
      >
        Download Markdown
      </Button>
      <ClipboardButton
        icon="copy"
        variant="secondary"
        size="sm"
        data-testid={testIds.export.cli}
        getText={() => buildCliCommand(grafanaUrl, config)}
      >
        Copy CLI command
      </ClipboardButton>
    </Stack>
  );
}
