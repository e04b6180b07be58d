/** Validates a parsed JSON report against docs/report.schema.json (used by the CLI tests). */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import schema from '../docs/report.schema.json';

let compiled: ReturnType<Ajv2020['compile']> | undefined;

/** Returns the schema violations as "path: message" lines; empty when the report is valid. */
export function reportSchemaErrors(value: unknown): string[] {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  if (compiled(value)) {
    return [];
  }
  return (compiled.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
