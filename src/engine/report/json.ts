import { Report } from '../model';

/**
 * The machine-readable report, `schemaVersion: 1`, documented by docs/report.schema.json.
 * Pretty-printed so that a CI log or a diff stays readable; the token is never part of a Report.
 */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
