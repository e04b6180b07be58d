import { renderJson } from '../src/engine/report';
import { hostileReport, seedIncidentReport } from '../src/engine/report/__fixtures__/reports';
import { reportSchemaErrors } from './report-schema';

describe('docs/report.schema.json', () => {
  it('accepts the rendered JSON of real-shaped reports', () => {
    expect(reportSchemaErrors(JSON.parse(renderJson(seedIncidentReport())))).toEqual([]);
    expect(reportSchemaErrors(JSON.parse(renderJson(hostileReport())))).toEqual([]);
  });

  it('rejects an unknown verdict word, another schemaVersion, and a missing required field', () => {
    const bad = JSON.parse(renderJson(seedIncidentReport()));
    bad.services[0].signals.logs.status = 'no_data';
    expect(reportSchemaErrors(bad).join('\n')).toContain('/services/0/signals/logs/status');

    expect(reportSchemaErrors({ ...seedIncidentReport(), schemaVersion: 2 })).not.toEqual([]);

    const noWindow = JSON.parse(renderJson(seedIncidentReport()));
    delete noWindow.services[0].signals.metrics.window;
    expect(reportSchemaErrors(noWindow).join('\n')).toContain("must have required property 'window'");

    const badDate = JSON.parse(renderJson(seedIncidentReport()));
    badDate.generatedAt = 'yesterday';
    expect(reportSchemaErrors(badDate).join('\n')).toContain('/generatedAt');
  });

  it('datasources[].queries (the batched queries that ran) is optional, and a list of strings when present', () => {
    const report = JSON.parse(renderJson(seedIncidentReport()));
    expect(report.datasources[0].queries).toHaveLength(1);
    expect(report.datasources[1].queries).toBeUndefined();
    expect(reportSchemaErrors(report)).toEqual([]);

    report.datasources[0].queries = 'max by (job) (…)';
    expect(reportSchemaErrors(report).join('\n')).toContain('/datasources/0/queries: must be array');
    report.datasources[0].queries = [42];
    expect(reportSchemaErrors(report).join('\n')).toContain('/datasources/0/queries/0: must be string');
  });
});
