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
});
