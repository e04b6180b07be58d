import { CellResult, DatasourceResult, Report, Signal } from '../model';
import { VERDICT_INFO } from '../verdicts';
import {
  absoluteLink,
  countedServices,
  datasourceOf,
  displayQuery,
  escapeXml,
  formatAge,
  formatCounts,
} from './format';

export interface JunitOptions {
  /** Makes site-relative runbook links absolute. */
  grafanaUrl?: string;
}

interface Case {
  classname: string;
  name: string;
  timeSeconds: number;
  kind: 'pass' | 'failure' | 'error' | 'skipped';
  message: string;
  type: string;
  body: string;
}

/**
 * JUnit XML: one testsuite per signal, one testcase per service × signal with
 * `classname="<signal>.<datasource name or none>"` and `name="<service>"`. Data problems
 * (stale/missing/empty) are failures, checking problems (unreachable/denied/error) are errors,
 * `not_configured` is skipped (VERDICT_INFO.junit). In discovery mode, where there may be no
 * service rows at all, each datasource is a testcase too so a broken datasource still fails CI.
 */
export function renderJunit(report: Report, options: JunitOptions = {}): string {
  const suites = new Map<string, Case[]>();
  const seen = new Set<string>();
  const add = (suite: string, c: Case) => {
    // GitLab collapses duplicate classname+name: keep every case distinct.
    let name = c.name;
    for (let i = 2; seen.has(`${c.classname}\u0000${name}`); i++) {
      name = `${c.name} (${i})`;
    }
    seen.add(`${c.classname}\u0000${name}`);
    const list = suites.get(suite) ?? [];
    list.push({ ...c, name });
    suites.set(suite, list);
  };

  if (report.mode === 'discovery') {
    for (const ds of report.datasources) {
      add('datasources', datasourceCase(ds));
    }
  }
  for (const svc of countedServices(report)) {
    for (const signal of ['metrics', 'logs', 'traces'] as Signal[]) {
      const cell = svc.signals[signal];
      if (cell) {
        add(signal, cellCase(report, svc.name, signal, cell, options));
      }
    }
  }

  const all = [...suites.values()].flat();
  const totals = tally(all);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="telemetry-truth" tests="${all.length}" failures="${totals.failures}" errors="${totals.errors}"` +
      ` skipped="${totals.skipped}" time="${fmtTime(sumTime(all))}">`
  );
  for (const [suite, cases] of suites) {
    const t = tally(cases);
    out.push(
      `  <testsuite name="${escapeXml(suite)}" tests="${cases.length}" failures="${t.failures}" errors="${t.errors}"` +
        ` skipped="${t.skipped}" timestamp="${escapeXml(report.generatedAt)}" time="${fmtTime(sumTime(cases))}">`
    );
    for (const c of cases) {
      const open = `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}" time="${fmtTime(c.timeSeconds)}"`;
      if (c.kind === 'pass') {
        out.push(`${open}/>`);
        continue;
      }
      out.push(`${open}>`);
      if (c.kind === 'skipped') {
        out.push(`      <skipped message="${escapeXml(c.message)}"/>`);
      } else {
        out.push(
          `      <${c.kind} message="${escapeXml(c.message)}" type="${escapeXml(c.type)}">${escapeXml(c.body)}</${c.kind}>`
        );
      }
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

function cellCase(report: Report, service: string, signal: Signal, cell: CellResult, options: JunitOptions): Case {
  const ds = datasourceOf(report, cell);
  const dsName = ds?.name ?? cell.perDatasource.find((p) => p.datasourceUid === cell.datasourceUid)?.datasourceName;
  const body: string[] = [cell.message];
  if (dsName) {
    body.push(`datasource: ${dsName} (${cell.datasourceUid ?? ''})`);
  }
  body.push(`window: ${cell.window.start} .. ${cell.window.end}`);
  if (cell.newestAt) {
    body.push(`newest datum: ${cell.newestAt} (${formatAge(cell)})`);
  }
  if (cell.alternativeIdentity) {
    body.push(`found under identity label: ${cell.alternativeIdentity.label}`);
  }
  if (cell.query) {
    body.push(`query: ${displayQuery(cell.query)}`);
  }
  // With several datasources for the signal, each one's own result (the best one decided the verdict).
  if (cell.perDatasource.length > 1) {
    for (const p of cell.perDatasource) {
      body.push(`  ${p.datasourceName}: ${p.status}: ${p.message}`);
    }
  }
  const runbook = absoluteLink(cell.runbook, options.grafanaUrl);
  if (runbook) {
    body.push(`runbook: ${runbook}`);
  }
  return {
    classname: `${signal}.${dsName ?? 'none'}`,
    name: service,
    // Cells share their datasource's requests; summing latencies per cell would overstate the run.
    timeSeconds: 0,
    kind: VERDICT_INFO[cell.status].junit,
    message: `${cell.status}: ${cell.message}`,
    type: cell.code,
    body: body.join('\n'),
  };
}

function datasourceCase(ds: DatasourceResult): Case {
  const body = [ds.message, `type: ${ds.type}`, `version: ${ds.version ?? 'unknown'}`];
  const counts = formatCounts(ds.counts);
  if (counts) {
    body.push(`holds: ${counts}`);
  }
  return {
    classname: `datasources.${ds.signal}`,
    name: ds.name,
    timeSeconds: ds.latencyMs ? ds.latencyMs / 1000 : 0,
    kind: VERDICT_INFO[ds.status].junit,
    message: `${ds.status}: ${ds.message}`,
    type: ds.code,
    body: body.join('\n'),
  };
}

function tally(cases: Case[]) {
  return {
    failures: cases.filter((c) => c.kind === 'failure').length,
    errors: cases.filter((c) => c.kind === 'error').length,
    skipped: cases.filter((c) => c.kind === 'skipped').length,
  };
}

function sumTime(cases: Case[]): number {
  return cases.reduce((t, c) => t + c.timeSeconds, 0);
}

function fmtTime(seconds: number): string {
  return seconds.toFixed(3);
}
