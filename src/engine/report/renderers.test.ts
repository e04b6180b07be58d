import { renderJson, renderJsonChunks, renderJunit, renderMarkdown, renderReport, renderText } from './index';
import { cell, HOSTILE_NAME, hostileReport, seedIncidentReport } from './__fixtures__/reports';
import { formatDuration } from './format';

describe('renderJson', () => {
  it('round-trips the report (schema validation lives in cli/report-schema.test.ts)', () => {
    const report = seedIncidentReport();
    expect(JSON.parse(renderJson(report))).toEqual(report);
    expect(renderJson(report).endsWith('}\n')).toBe(true);
  });

  it('streams exactly the text JSON.stringify(report, null, 2) gives, one service per chunk', () => {
    for (const report of [
      seedIncidentReport(),
      hostileReport(),
      { ...seedIncidentReport(), services: [], datasources: [] },
    ]) {
      const chunks = Array.from(renderJsonChunks(report));
      expect(chunks.join('')).toBe(`${JSON.stringify(report, null, 2)}\n`);
      expect(renderJson(report)).toBe(`${JSON.stringify(report, null, 2)}\n`);
    }
    const many = seedIncidentReport();
    many.services = Array.from({ length: 50 }, (_, i) => ({ ...many.services[0], name: `svc-${i}` }));
    const chunks = Array.from(renderJsonChunks(many));
    expect(chunks.length).toBeGreaterThan(50);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(renderJson(many).length / 20);
  });
});

describe('renderMarkdown', () => {
  it('shows the verdict, a service × signal table, each failure with its evidence, and the datasources', () => {
    const md = renderMarkdown(seedIncidentReport(), { grafanaUrl: 'https://grafana.example.com/' });
    expect(md).toContain('**FAIL**: 2 of 3 expected service × signal checks not ok.');
    expect(md).toContain('| Service | Metrics | Logs | Traces |');
    expect(md).toContain('| scanium-backend | **ok** 12s | **empty** | **unreachable** |');
    expect(md).toContain('### scanium-backend · logs: empty (TT-LOGS-EMPTY)');
    expect(md).toContain(
      '- Runbook: [TT-LOGS-EMPTY](https://grafana.example.com/a/scanium-telemetrytruth-app/runbooks/TT-LOGS-EMPTY)'
    );
    expect(md).toContain('```logql\n{service_name="scanium-backend"}\n```');
    expect(md).toContain('- Window: 2026-01-09T20:47:00.000Z → 2026-01-10T20:47:00.000Z');
    expect(md).toContain('- Datasource: Loki (`loki`, loki, empty)');
    // The ok cell is not a problem section.
    expect(md).not.toContain('· metrics:');
    expect(md).toMatch(
      /\| Mimir \(`mimir`\) \| prometheus \| metrics \| \*\*ok\*\* \| 2\.11\.0 \| services=4 \| 12 ms \|/
    );
  });

  it('escapes pipes, backticks and HTML from untrusted values and refuses non-http runbook links', () => {
    const md = renderMarkdown(hostileReport());
    // Outside code blocks (where Markdown renders text literally) no HTML survives.
    const prose = md.replace(/(`{3,})[a-z]*\n[\s\S]*?\n\1/g, '');
    expect(prose).not.toContain('<');
    expect(md).toContain('we"ird\\|svc\\`&lt;script&gt;alert\\(1\\)&lt;/script&gt;&amp;\\\\x1b\\[31m\\]\\]&gt;');
    // Every table row keeps its column count: escaped pipes do not split cells.
    const rows = md.split('\n').filter((l) => l.startsWith('| we'));
    expect(rows).toHaveLength(1);
    expect(rows[0].split(/(?<!\\)\|/).length - 2).toBe(4);
    // A query with a triple backtick gets a longer fence, so it cannot close the block early.
    expect(md).toContain('````logql\n{service_name="we\\"ird|svc`<script>"} |= ```\n````');
    expect(md).not.toContain('](javascript:');
    expect(md).toContain('Found under another identity label: `source`');
  });

  it('links failing queries to Explore on the right datasource and window when asked', () => {
    const md = renderMarkdown(seedIncidentReport(), { grafanaUrl: 'https://g.example/grafana', exploreLinks: true });
    const link = md.match(/- Explore: \[run this query in Explore\]\((.*)\)/);
    expect(link).not.toBeNull();
    const url = new URL(link![1]);
    expect(url.origin + url.pathname).toBe('https://g.example/grafana/explore');
    const panes = JSON.parse(url.searchParams.get('panes')!);
    const pane = Object.values(panes)[0] as {
      datasource: string;
      queries: Array<{ expr: string }>;
      range: { from: string; to: string };
    };
    expect(pane.datasource).toBe('loki');
    expect(pane.queries[0].expr).toBe('{service_name="scanium-backend"}');
    expect(pane.range).toEqual({
      from: String(Date.parse('2026-01-09T20:47:00.000Z')),
      to: String(Date.parse('2026-01-10T20:47:00.000Z')),
    });
    expect(renderMarkdown(seedIncidentReport())).not.toContain('Explore:');
  });

  it('says so when a report has no services and no datasources', () => {
    const r = { ...seedIncidentReport(), services: [], datasources: [], mode: 'discovery' as const };
    const md = renderMarkdown(r);
    expect(md).toContain('_No services: none configured and none discovered._');
    expect(md).toContain('_No Prometheus, Loki or Tempo datasource was found._');
  });
});

describe('renderJunit', () => {
  function cases(xml: string) {
    return Array.from(
      xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g),
      (m) => ({
        classname: m[1],
        name: m[2],
        inner: m[4] ?? '',
      })
    );
  }

  it('maps each service × signal to one testcase: failure for data problems, error for checking problems', () => {
    const xml = renderJunit(seedIncidentReport(), { grafanaUrl: 'https://g.example' });
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="telemetry-truth" tests="3" failures="1" errors="1" skipped="0"'
      )
    ).toBe(true);
    const c = cases(xml);
    expect(c.map((x) => [x.classname, x.name])).toEqual([
      ['metrics.Mimir', 'scanium-backend'],
      ['logs.Loki', 'scanium-backend'],
      ['traces.Tempo', 'scanium-backend'],
    ]);
    expect(c[0].inner).toBe('');
    expect(c[1].inner).toContain(
      '<failure message="empty: Loki is reachable but holds no logs at all in the last 24h" type="TT-LOGS-EMPTY">'
    );
    expect(c[1].inner).toContain('runbook: https://g.example/a/scanium-telemetrytruth-app/runbooks/TT-LOGS-EMPTY');
    expect(c[1].inner).toContain('query: {service_name=&quot;scanium-backend&quot;}');
    expect(c[2].inner).toContain(
      '<error message="unreachable: Tempo could not be reached: HTTP 502 from the Grafana proxy" type="TT-UNREACHABLE">'
    );
    expect(xml).toContain(
      '<testsuite name="logs" tests="1" failures="1" errors="0" skipped="0" timestamp="2026-01-10T20:47:00.000Z"'
    );
  });

  it('XML-escapes every value, drops characters XML forbids, and skips not_configured', () => {
    const xml = renderJunit(hostileReport());
    expect(xml).not.toMatch(/<script|<b>|<html/);
    expect(xml).not.toContain('\u001b');
    expect(xml).not.toContain(']]>');
    const c = cases(xml);
    expect(c.map((x) => x.classname)).toEqual(['logs.Loki | &lt;b&gt;prod&lt;/b&gt;', 'traces.none']);
    expect(c[0].name).toBe('we&quot;ird|svc`&lt;script&gt;alert(1)&lt;/script&gt;&amp;[31m]]&gt;');
    expect(c[1].inner).toContain('<skipped message="not_configured: No Tempo datasource"/>');
    // Well-formedness: every tag opened is closed, and no raw & outside entities.
    expect(xml.replace(/&(amp|lt|gt|quot|apos);/g, '')).not.toContain('&');
    expect(HOSTILE_NAME).toContain('<script>');
  });

  it('lists each datasource result when a signal has several, the best one naming the classname', () => {
    const r = seedIncidentReport();
    r.datasources.push({ ...r.datasources[1], uid: 'loki-eu', name: 'Loki EU', status: 'ok' });
    const per = (uid: string, name: string, status: 'ok' | 'empty' | 'stale', message: string) => ({
      datasourceUid: uid,
      datasourceName: name,
      status,
      code: 'TT-LOGS-STALE',
      message,
      newestAt: null,
      ageSeconds: null,
      query: null,
    });
    r.services[0].signals.logs = cell({
      status: 'stale',
      code: 'TT-LOGS-STALE',
      message: 'newest log line 3 h ago',
      datasourceUid: 'loki-eu',
      perDatasource: [
        per('loki', 'Loki', 'empty', 'holds no logs'),
        per('loki-eu', 'Loki EU', 'stale', 'newest 3 h ago'),
      ],
    });
    const logs = cases(renderJunit(r)).find((c) => c.classname.startsWith('logs.'))!;
    expect(logs.classname).toBe('logs.Loki EU');
    expect(logs.inner).toContain('  Loki: empty: holds no logs\n  Loki EU: stale: newest 3 h ago');
    expect(cases(renderJunit(seedIncidentReport()))[1].inner).not.toContain('  Loki: ');
  });

  it('keeps classname+name unique even if a service name repeats', () => {
    const r = seedIncidentReport();
    r.services.push({ ...r.services[0] });
    const names = cases(renderJunit(r)).map((x) => `${x.classname}/${x.name}`);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('logs.Loki/scanium-backend (2)');
  });

  it('in discovery mode turns each datasource into a testcase so a failing datasource fails CI', () => {
    const r = { ...seedIncidentReport(), mode: 'discovery' as const, services: [] };
    const c = cases(renderJunit(r));
    expect(c.map((x) => `${x.classname}/${x.name}`)).toEqual([
      'datasources.metrics/Mimir',
      'datasources.logs/Loki',
      'datasources.traces/Tempo',
    ]);
    expect(c[1].inner).toContain(
      '<failure message="empty: Loki holds no log streams in the last 24h" type="TT-LOGS-EMPTY">'
    );
    expect(c[2].inner).toContain('<error message="unreachable: GET api/echo: HTTP 502 (empty body)"');
  });
});

describe('renderText', () => {
  it('prints a grid and problem blocks without colour unless asked', () => {
    const text = renderText(seedIncidentReport(), { color: false, grafanaUrl: 'https://g.example' });
    expect(text).not.toContain('\u001b[');
    expect(text).toContain('Telemetry Truth: FAIL (2 of 3 expected service × signal checks not ok)');
    expect(text).toMatch(/^SERVICE +METRICS +LOGS +TRACES$/m);
    expect(text).toMatch(/^scanium-backend +ok 12s +empty +unreachable$/m);
    expect(text).toContain('✗ empty scanium-backend logs [TT-LOGS-EMPTY]');
    expect(text).toContain('    runbook: https://g.example/a/scanium-telemetrytruth-app/runbooks/TT-LOGS-EMPTY');
    expect(text).toMatch(/unreachable +Tempo \(tempo\)\n +GET api\/echo: HTTP 502 \(empty body\)/);
    expect(text).not.toContain('telemetry-truth explain');
    expect(renderText(seedIncidentReport(), { color: false, explainHint: true })).toContain(
      '(runbook offline: telemetry-truth explain <CODE>)'
    );
  });

  it('colours verdict words only when asked, and never lets a backend value drive the terminal', () => {
    const coloured = renderText(seedIncidentReport(), { color: true });
    expect(coloured).toContain('\u001b[32mok 12s ');
    expect(coloured).toContain('\u001b[35m✗ unreachable\u001b[0m');
    const hostile = renderText(hostileReport(), { color: false });
    expect(hostile).not.toContain('\u001b');
    expect(hostile).toContain('\\x1b[31m');
  });
});

describe('long batched queries', () => {
  it('are shortened in text, Markdown and JUnit (kept whole in JSON) and get no Explore link', () => {
    const r = seedIncidentReport();
    const names = Array.from({ length: 400 }, (_, i) => `svc-${i}`).join('|');
    const query = `max by (job) (timestamp({job=~"${names}"}))`;
    r.services[0].signals.logs = { ...r.services[0].signals.logs!, query };
    const note = `… (${query.length - 500} more characters; the full query is in the JSON report)`;
    expect(renderText(r, { color: false })).toContain(`query: ${query.slice(0, 500)} ${note}`);
    const md = renderMarkdown(r, { grafanaUrl: 'https://g', exploreLinks: true });
    expect(md).toContain(note);
    expect(md).not.toContain(query);
    expect(md).not.toContain('- Explore:');
    expect(renderJunit(r)).toContain(note);
    expect(renderJunit(r)).not.toContain('svc-399');
    expect(JSON.parse(renderJson(r)).services[0].signals.logs.query).toBe(query);
  });
});

describe('renderReport and formatDuration', () => {
  it('dispatches by format', () => {
    const r = seedIncidentReport();
    expect(renderReport(r, 'json')).toBe(renderJson(r));
    expect(renderReport(r, 'junit')).toBe(renderJunit(r));
    expect(renderReport(r, 'text')).toBe(renderText(r, { color: false }));
  });

  it('formats ages the way a person reads them', () => {
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(3 * 3600 + 2 * 60 + 7)).toBe('3h 2m');
    expect(formatDuration(600)).toBe('10m');
    expect(formatDuration(2 * 86400 + 4 * 3600)).toBe('2d 4h');
    expect(formatDuration(-4)).toBe('4s');
    expect(cell({ status: 'ok' }).perDatasource).toEqual([]);
  });
});
