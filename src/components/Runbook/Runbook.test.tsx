import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom-v5-compat';

import RunbookPage from '../../pages/RunbookPage';
import RunbooksPage from '../../pages/RunbooksPage';
import { RUNBOOK_CODES } from '../../engine/verdicts';
import { RUNBOOK_SECTIONS, type Runbook } from '../../runbooks';
import { loadAppSettings } from '../../grafana/settings';
import { RunbookView } from './RunbookView';
import { contextFromSearch, formatAge, type QueryDatasource } from './context';
import { runbookTestIds } from './testIds';

jest.mock('../../grafana/settings', () => ({
  loadAppSettings: jest.fn(),
}));
const mockLoadAppSettings = jest.mocked(loadAppSettings);

const DATASOURCES: QueryDatasource[] = [
  { uid: 'LOKI', name: 'Loki', type: 'loki' },
  { uid: 'MIMIR', name: 'Mimir', type: 'prometheus', isDefault: true },
  { uid: 'TEMPO', name: 'Tempo', type: 'tempo' },
];

function renderRunbook(url: string, props: Partial<React.ComponentProps<typeof RunbookPage>> = {}) {
  return render(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route
          path="/runbooks/:code"
          element={<RunbookPage runbookUrls={{}} datasources={DATASOURCES} canExplore={true} {...props} />}
        />
      </Routes>
    </MemoryRouter>
  );
}

function panesOf(href: string | null): any {
  const url = new URL(href ?? '', 'http://grafana.local');
  expect(url.pathname).toBe('/explore');
  return JSON.parse(url.searchParams.get('panes') ?? 'null').tt1;
}

function exploreLinks(): HTMLAnchorElement[] {
  return screen.queryAllByTestId(runbookTestIds.explore).map((el) => el.closest('a') ?? (el as HTMLAnchorElement));
}

const FAILING_LOGS =
  '/runbooks/TT-LOGS-MISSING?' +
  new URLSearchParams({
    service: 'scanium-backend',
    signal: 'logs',
    verdict: 'missing',
    datasource: 'Loki (prod)',
    datasourceUid: 'LOKI',
    query: '{service_name="scanium-backend"}',
    from: '2026-11-27T02:00:00.000Z',
    to: '2026-11-28T02:00:00.000Z',
    age: '10920',
    alternativeLabel: 'job',
  }).toString();

describe('RunbooksPage', () => {
  it('lists every runbook code with its title, grouped by signal and transport', () => {
    render(
      <MemoryRouter>
        <RunbooksPage runbookUrls={{ 'TT-DENIED': 'https://wiki.example.com/denied' }} />
      </MemoryRouter>
    );
    for (const code of RUNBOOK_CODES) {
      const item = screen.getByTestId(runbookTestIds.item(code));
      expect(within(item).getByRole('link')).toHaveAttribute('href', `/a/scanium-telemetrytruth-app/runbooks/${code}`);
    }
    const logs = screen.getByTestId(runbookTestIds.group('logs'));
    expect(within(logs).getByRole('heading', { name: 'Logs' })).toBeInTheDocument();
    expect(
      within(logs)
        .getAllByRole('listitem')
        .map((li) => li.getAttribute('data-testid'))
    ).toEqual([
      runbookTestIds.item('TT-LOGS-STALE'),
      runbookTestIds.item('TT-LOGS-MISSING'),
      runbookTestIds.item('TT-LOGS-EMPTY'),
    ]);
    const transport = screen.getByTestId(runbookTestIds.group('transport'));
    expect(within(transport).getByText(/Credentials were refused/)).toBeInTheDocument();
    expect(within(transport).getByText(/own runbook for this code/)).toBeInTheDocument();
    expect(within(transport).getByText(/API endpoint does not exist/)).toBeInTheDocument();
  });
});

describe('RunbookPage', () => {
  it('renders the five sections in order with the failing check above them as text', () => {
    renderRunbook(FAILING_LOGS);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(
      'TT-LOGS-MISSING Loki has logs from others, none for this service'
    );
    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings).toEqual(['Failing check', ...RUNBOOK_SECTIONS]);

    const context = screen.getByTestId(runbookTestIds.context);
    expect(within(context).getByText('scanium-backend')).toBeInTheDocument();
    expect(within(context).getByText('Loki (prod)')).toBeInTheDocument();
    expect(within(context).getByText(/uid LOKI/)).toBeInTheDocument();
    expect(within(context).getByText('3 h 2 min ago')).toBeInTheDocument();
    expect(within(context).getByText(/missing — The datasource holds data for other services/)).toBeInTheDocument();
    expect(within(context).getByText('2026-11-27T02:00:00.000Z → 2026-11-28T02:00:00.000Z')).toBeInTheDocument();
    expect(within(context).getByText('job')).toBeInTheDocument();
    expect(screen.getByTestId(runbookTestIds.contextQuery)).toHaveTextContent('{service_name="scanium-backend"}');
    // Context comes before the runbook body.
    const firstSection = screen.getByTestId(runbookTestIds.section('What this means'));
    expect(context.compareDocumentPosition(firstSection) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

    // Prose is rendered Markdown (a numbered list of causes), code blocks are filled with the context.
    const causes = screen.getByTestId(runbookTestIds.section('Likely causes'));
    expect(causes.querySelector('ol')).not.toBeNull();
    const confirm = screen.getByTestId(runbookTestIds.section('Confirm'));
    expect(confirm).toHaveTextContent("SERVICE='scanium-backend'");
    expect(confirm).toHaveTextContent("DS='LOKI'");
    expect(confirm).toHaveTextContent("LABEL='service_name'");
    expect(confirm.textContent).not.toMatch(/\{\{\w+\}\}/);
  });

  it('opens each Confirm query in Explore on the right datasource, with the query and the window', () => {
    renderRunbook(FAILING_LOGS);
    const confirm = screen.getByTestId(runbookTestIds.section('Confirm'));
    const links = within(confirm)
      .getAllByTestId(runbookTestIds.explore)
      .map((el) => el.closest('a'));
    expect(links.length).toBe(3); // one LogQL and two PromQL blocks
    const panes = links.map((a) => panesOf(a!.getAttribute('href')));
    expect(panes[0].datasource).toBe('LOKI');
    expect(panes[0].queries[0]).toMatchObject({ datasource: { type: 'loki', uid: 'LOKI' }, queryType: 'range' });
    expect(panes[0].queries[0].expr).toContain('count_over_time({job="scanium-backend"}[1h])');
    expect(panes[0].range).toEqual({ from: String(Date.UTC(2026, 10, 27, 2)), to: String(Date.UTC(2026, 10, 28, 2)) });
    // Collector self-metrics run on the (default) Prometheus datasource.
    expect(panes[1].datasource).toBe('MIMIR');
    expect(panes[1].queries[0].expr).toContain('otelcol_receiver_accepted_log_records');

    // The decisive query itself, on the failing datasource.
    const own = panesOf(screen.getByTestId(runbookTestIds.contextExplore).closest('a')!.getAttribute('href'));
    expect(own.datasource).toBe('LOKI');
    expect(own.queries[0].expr).toBe('{service_name="scanium-backend"}');
  });

  it('without context keeps placeholders visible and offers no Explore link for them', () => {
    renderRunbook('/runbooks/TT-TRACES-STALE');
    expect(screen.queryByTestId(runbookTestIds.context)).toBeNull();
    const confirm = screen.getByTestId(runbookTestIds.section('Confirm'));
    expect(confirm).toHaveTextContent('{ resource.service.name = "{{service}}" }');
    expect(within(confirm).getAllByText(/Replace \{\{service\}\}/).length).toBeGreaterThan(0);
    // Collector metrics need no context, so they still open (on the default Prometheus).
    for (const a of exploreLinks()) {
      expect(panesOf(a.getAttribute('href')).datasource).toBe('MIMIR');
    }
    expect(exploreLinks().length).toBe(4);
  });

  it('offers no Explore links to users who may not explore', () => {
    renderRunbook(FAILING_LOGS, { canExplore: false });
    expect(exploreLinks()).toEqual([]);
    expect(screen.queryByTestId(runbookTestIds.contextExplore)).toBeNull();
    expect(screen.getAllByText(/You do not have permission to open Explore/).length).toBeGreaterThan(0);
  });

  it("shows the organisation's runbook when one is configured, and ignores unsafe URLs", () => {
    const { unmount } = renderRunbook('/runbooks/TT-LOGS-MISSING', {
      runbookUrls: { 'TT-LOGS-MISSING': 'https://wiki.example.com/runbooks/logs-missing' },
    });
    const override = screen.getByTestId(runbookTestIds.override);
    expect(override).toHaveTextContent("Your organisation's runbook:");
    expect(within(override).getByRole('link')).toHaveAttribute(
      'href',
      'https://wiki.example.com/runbooks/logs-missing'
    );
    unmount();

    renderRunbook('/runbooks/TT-LOGS-MISSING', { runbookUrls: { 'TT-LOGS-MISSING': 'javascript:alert(1)' } });
    expect(screen.queryByTestId(runbookTestIds.override)).toBeNull();
  });

  it('reads overrides from the app settings when none are passed', async () => {
    mockLoadAppSettings.mockResolvedValue({
      ok: true,
      enabled: true,
      pinned: true,
      jsonData: { runbookUrls: { 'TT-DENIED': 'https://wiki.example.com/denied' } },
    });
    renderRunbook('/runbooks/TT-DENIED', { runbookUrls: undefined });
    const override = await screen.findByTestId(runbookTestIds.override);
    expect(within(override).getByRole('link')).toHaveAttribute('href', 'https://wiki.example.com/denied');
  });

  it('says so for an unknown code', () => {
    renderRunbook('/runbooks/TT-NOPE');
    expect(screen.getByTestId(runbookTestIds.unknown)).toHaveTextContent(
      'There is no built-in runbook for the code "TT-NOPE".'
    );
  });
});

describe('nothing executable reaches the DOM', () => {
  const HOSTILE = [
    '<img src=x onerror=alert(1)>',
    '"><script>alert(1)</script>',
    'javascript:alert(1)',
    '<svg onload=alert(1)>',
    "x' onmouseover='alert(1)",
  ];

  /** No scripts, frames or forms; no event-handler attributes; no javascript: URLs anywhere. */
  function assertInert(container: HTMLElement) {
    expect(container.querySelector('script, iframe, object, embed, form')).toBeNull();
    for (const el of Array.from(container.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        expect(attr.name.startsWith('on')).toBe(false);
        expect(attr.value.trim().toLowerCase().startsWith('javascript:')).toBe(false);
      }
    }
  }

  /** Context is text: the only markup in the page is ours (Grafana icons are the only SVGs). */
  function assertNoInjectedElements(container: HTMLElement) {
    expect(container.querySelector('img')).toBeNull();
    for (const svg of Array.from(container.querySelectorAll('svg'))) {
      expect(svg.getAttribute('data-testid') ?? svg.parentElement?.className).toBeTruthy();
      expect(svg.querySelector('script, foreignObject')).toBeNull();
    }
  }

  it.each(HOSTILE)('context value %s is shown as text only', (evil) => {
    const search = new URLSearchParams({
      service: evil,
      datasource: evil,
      datasourceUid: evil,
      query: evil,
      signal: 'logs',
      verdict: evil,
      age: evil,
      from: evil,
      alternativeLabel: evil,
      identityLabel: evil,
    });
    const { container } = renderRunbook(`/runbooks/TT-LOGS-MISSING?${search.toString()}`);
    assertInert(container);
    assertNoInjectedElements(container);
    const context = screen.getByTestId(runbookTestIds.context);
    expect(within(context).getAllByText(evil, { exact: false }).length).toBeGreaterThan(0);
    for (const a of exploreLinks()) {
      expect(a.getAttribute('href')!.startsWith('/explore?')).toBe(true);
    }
  });

  it('sanitises Markdown even if a runbook itself carried HTML or a javascript: link', () => {
    const hostile: Runbook = {
      code: 'TT-DENIED',
      title: 'x',
      markdown: [
        '# TT-DENIED — x',
        '',
        '## What this means',
        '',
        'Text <img src=x onerror=alert(1)> and <script>alert(1)</script> and [click](javascript:alert(1)).',
        '',
        '<iframe src="javascript:alert(1)"></iframe>',
        '',
        '## Confirm',
        '',
        '```bash',
        "S='{{service}}'",
        '```',
      ].join('\n'),
    };
    const { container } = render(
      <RunbookView
        runbook={hostile}
        context={{ service: '<img src=x onerror=alert(1)>' }}
        datasources={DATASOURCES}
        canExplore={true}
      />
    );
    assertInert(container);
    expect(screen.getByTestId(runbookTestIds.codeBlock)).toHaveTextContent("S='<img src=x onerror=alert(1)>'");
  });
});

describe('context helpers', () => {
  it('reads only known parameters and formats ages', () => {
    expect(contextFromSearch('?service=a&evil=1&age=&signal=logs')).toEqual({ service: 'a', signal: 'logs' });
    expect(formatAge('42')).toBe('42 s ago');
    expect(formatAge('90000')).toBe('1 d 1 h ago');
    expect(formatAge('-120')).toBe('2 min in the future (clock skew)');
    expect(formatAge('yesterday')).toBe('yesterday');
  });
});
