import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { renderJson, renderMarkdown } from '../../engine/report';
import { DEFAULT_CONFIG } from '../../engine/config';
import { incidentReport } from '../../test/fixtures';
import { testIds } from '../testIds';
import { ExportBar } from './ExportBar';
import { buildCliCommand, shellQuote } from './export.utils';

const blobs: Blob[] = [];
const downloads: string[] = [];

beforeEach(() => {
  blobs.length = 0;
  downloads.length = 0;
  URL.createObjectURL = jest.fn((b: Blob) => {
    blobs.push(b);
    return `blob:${blobs.length}`;
  });
  URL.revokeObjectURL = jest.fn();
  jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push(this.download);
  });
});

afterEach(() => jest.restoreAllMocks());

async function text(blob: Blob): Promise<string> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsText(blob);
  });
}

describe('ExportBar', () => {
  it('downloads the report as the CLI renders it, in JSON and Markdown', async () => {
    const report = incidentReport();
    render(<ExportBar report={report} config={DEFAULT_CONFIG} grafanaUrl="https://grafana.example.com" />);
    fireEvent.click(screen.getByTestId(testIds.export.json));
    fireEvent.click(screen.getByTestId(testIds.export.markdown));
    expect(downloads).toEqual([
      'telemetry-truth-2026-11-28T02-00-00-000Z.json',
      'telemetry-truth-2026-11-28T02-00-00-000Z.md',
    ]);
    const json = await text(blobs[0]);
    expect(json).toBe(renderJson(report));
    expect(JSON.parse(json).services.map((s: { name: string }) => s.name)).toEqual([
      'checkout',
      'scanium-backend',
      'alloy',
    ]);
    const md = await text(blobs[1]);
    expect(md).toBe(renderMarkdown(report, { grafanaUrl: 'https://grafana.example.com' }));
    expect(md).toContain('scanium-backend');
  });

  it('cannot download before a report exists, but the CLI command is always available', async () => {
    const writeText = jest.fn(async () => undefined);
    Object.assign(navigator, { clipboard: { writeText } });
    // ClipboardButton uses the async clipboard only in a secure context, as browsers do.
    Object.defineProperty(window, 'isSecureContext', { value: true, configurable: true });
    render(
      <ExportBar
        report={null}
        config={{ ...DEFAULT_CONFIG, services: [{ name: 'api' }] }}
        grafanaUrl="https://g.example.com/grafana"
      />
    );
    expect(screen.getByTestId(testIds.export.json)).toBeDisabled();
    await act(async () => {
      fireEvent.click(screen.getByTestId(testIds.export.cli));
    });
    expect(writeText).toHaveBeenCalledWith(
      'telemetry-truth check --grafana-url https://g.example.com/grafana --service api --format junit --out telemetry-truth.xml'
    );
  });
});

describe('buildCliCommand', () => {
  it('carries non-default settings as flags and quotes what the shell would interpret', () => {
    const cmd = buildCliCommand('https://grafana.example.com/', {
      ...DEFAULT_CONFIG,
      services: [{ name: 'scanium-backend' }, { name: "it's $HOME" }],
      identity: { ...DEFAULT_CONFIG.identity, logs: { label: 'source' } },
      freshnessSeconds: { ...DEFAULT_CONFIG.freshnessSeconds, logs: 900 },
      lookbackSeconds: 43200,
    });
    expect(cmd).toBe(
      "telemetry-truth check --grafana-url https://grafana.example.com --service scanium-backend --service 'it'\\''s $HOME' " +
        '--identity logs=source --freshness logs=15m --lookback 12h --format junit --out telemetry-truth.xml'
    );
    expect(cmd).not.toMatch(/token/i);
  });

  it('quotes only when needed', () => {
    expect(shellQuote('plain-name_1.2')).toBe('plain-name_1.2');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('$(rm -rf /)')).toBe("'$(rm -rf /)'");
  });
});
