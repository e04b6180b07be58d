import { Report } from '../model';

/**
 * The machine-readable report, `schemaVersion: 1`, documented by docs/report.schema.json.
 * Pretty-printed so that a CI log or a diff stays readable; the token is never part of a Report.
 */
export function renderJson(report: Report): string {
  return Array.from(renderJsonChunks(report)).join('');
}

/**
 * The same text as `renderJson`, in pieces (one per service and per datasource), so a caller can
 * write a 5,000-service report to a pipe or file without holding the whole string in memory.
 */
export function* renderJsonChunks(report: Report): Generator<string> {
  const keys = Object.keys(report) as Array<keyof Report>;
  yield '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = report[key];
    if (value === undefined) {
      continue;
    }
    const sep = i < keys.length - 1 && keys.slice(i + 1).some((k) => report[k] !== undefined) ? ',' : '';
    if (Array.isArray(value) && value.length > 0) {
      yield `\n  ${JSON.stringify(key)}: [`;
      for (let j = 0; j < value.length; j++) {
        yield `\n    ${indent(JSON.stringify(value[j], null, 2), '    ')}${j < value.length - 1 ? ',' : ''}`;
      }
      yield `\n  ]${sep}`;
    } else {
      yield `\n  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2), '  ')}${sep}`;
    }
  }
  yield keys.length > 0 ? '\n}\n' : '}\n';
}

function indent(text: string, prefix: string): string {
  return text.replace(/\n/g, `\n${prefix}`);
}
