import { cell, seedIncidentReport } from '../src/engine/report/__fixtures__/reports';
import { Report } from '../src/engine/model';
import { EXIT, exitCodeFor } from './exit';

function passing(): Report {
  const r = seedIncidentReport();
  r.verdict = 'pass';
  r.datasources = r.datasources.map((d) => ({ ...d, status: 'ok' }));
  r.services[0].signals = {
    metrics: cell({ status: 'ok' }),
    logs: cell({ status: 'ok' }),
    traces: cell({ status: 'ok' }),
  };
  return r;
}

describe('exitCodeFor', () => {
  it('is 0 when every expected service × signal is ok', () => {
    expect(exitCodeFor(passing())).toBe(EXIT.ok);
  });

  it('is 1 for the seed incident (logs empty, traces unreachable)', () => {
    expect(exitCodeFor(seedIncidentReport())).toBe(EXIT.notOk);
  });

  it('is 1 when any expected cell is not ok, even if the report claims pass', () => {
    for (const status of ['stale', 'missing', 'empty', 'unreachable', 'denied', 'error', 'not_configured'] as const) {
      const r = passing();
      r.services[0].signals.traces = cell({ status });
      expect(exitCodeFor(r)).toBe(EXIT.notOk);
    }
  });

  it('ignores rows that were discovered but not expected', () => {
    const r = passing();
    r.services.push({ name: 'mobile', expected: false, signals: { logs: cell({ status: 'stale' }) } });
    expect(exitCodeFor(r)).toBe(EXIT.ok);
  });

  it('in discovery mode fails only on a datasource that is not ok', () => {
    const r = { ...passing(), mode: 'discovery' as const };
    r.services = [{ name: 'seen', expected: false, signals: { logs: cell({ status: 'ok' }) } }];
    expect(exitCodeFor(r)).toBe(EXIT.ok);
    r.datasources[1] = { ...r.datasources[1], status: 'empty' };
    expect(exitCodeFor(r)).toBe(EXIT.notOk);
  });
});
