/** `telemetry-truth explain <CODE>`: the runbook shipped in the plugin, printed offline. */
import { EXIT } from './exit';

interface Writer {
  out(text: string): void;
  err(text: string): void;
}

export async function explain(code: string, o: Writer, service: string | null = null): Promise<number> {
  // Loaded on demand so `check` does not pay for parsing every runbook.
  const { fillRunbookContext, getRunbook, runbooks, withDefaults } = await import('../src/runbooks');
  const runbook = getRunbook(code);
  const width = Math.max(...runbooks.map((r) => r.code.length));
  if (!runbook) {
    o.err(
      `telemetry-truth: no runbook for that code. Known codes:\n${runbooks.map((r) => `  ${r.code.padEnd(width)}  ${r.title}`).join('\n')}\n`
    );
    return EXIT.usage;
  }
  const text = service
    ? fillRunbookContext(runbook.markdown, withDefaults(runbook.code, { service }))
    : runbook.markdown;
  o.out(text.endsWith('\n') ? text : `${text}\n`);
  return EXIT.ok;
}
