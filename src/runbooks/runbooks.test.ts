import fs from 'fs';
import path from 'path';

import { RUNBOOK_CODES, verdictCode, VERDICTS, SIGNALS, type ErrorCause } from '../engine';
import {
  fillPlaceholders,
  fillRunbookContext,
  getRunbook,
  parseRunbookSections,
  RUNBOOK_FILES,
  RUNBOOK_SECTIONS,
  runbookGroup,
  runbooks,
  splitMarkdownBlocks,
  unfilledPlaceholders,
  withDefaults,
} from './index';
import { lintRunbook, lintRunbooks } from './lint';

const ENGINE_DIR = path.join(__dirname, '..', 'engine');
const RUNBOOK_DIR = __dirname;

/** The ErrorCause union, read from verdicts.ts so a new cause added there is covered without editing this test. */
function errorCausesFromSource(): ErrorCause[] {
  const source = fs.readFileSync(path.join(ENGINE_DIR, 'verdicts.ts'), 'utf8');
  const union = /export type ErrorCause\s*=\s*([^;]+);/.exec(source);
  if (!union) {
    throw new Error('ErrorCause union not found in verdicts.ts');
  }
  return Array.from(union[1].matchAll(/'([a-z_]+)'/g), (m) => m[1] as ErrorCause);
}

/** Every non-ok code verdictCode can produce for any verdict × signal × cause. */
function computedCodes(): string[] {
  const codes = new Set<string>();
  for (const verdict of VERDICTS) {
    for (const signal of [undefined, ...SIGNALS]) {
      for (const cause of [undefined, ...errorCausesFromSource()]) {
        codes.add(verdictCode(verdict, signal, cause));
      }
    }
  }
  return Array.from(codes).filter((c) => !c.endsWith('-OK'));
}

/** Code literals written into engine sources (e.g. a probe hard-coding 'TT-ERROR-QUERY'). */
function codesLiteralInEngine(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !full.includes('__fixtures__')) {
        for (const m of fs.readFileSync(full, 'utf8').matchAll(/['"`](TT-[A-Z]+(?:-[A-Z]+)*)['"`]/g)) {
          found.add(m[1]);
        }
      }
    }
  };
  walk(ENGINE_DIR);
  return Array.from(found).filter((c) => !c.endsWith('-OK'));
}

function filesWithout(code: string): Record<string, string> {
  const copy = { ...RUNBOOK_FILES };
  delete copy[code];
  return copy;
}

describe('runbook lint: every code the engine can emit has a well-formed runbook', () => {
  const required = Array.from(new Set([...RUNBOOK_CODES, ...computedCodes(), ...codesLiteralInEngine()]));

  it('covers RUNBOOK_CODES, every computed code and every code literal in the engine', () => {
    expect(required.length).toBeGreaterThanOrEqual(17);
    expect(lintRunbooks(RUNBOOK_FILES, required)).toEqual([]);
  });

  it('RUNBOOK_CODES lists exactly the codes verdictCode can produce', () => {
    expect([...RUNBOOK_CODES].sort()).toEqual(computedCodes().sort());
  });

  it('every .md file in src/runbooks is shipped, and every shipped runbook has its file', () => {
    const onDisk = fs
      .readdirSync(RUNBOOK_DIR)
      .filter((f) => f.endsWith('.md'))
      .map((f) => f.replace(/\.md$/, ''))
      .sort();
    expect(onDisk).toEqual(Object.keys(RUNBOOK_FILES).sort());
    for (const code of onDisk) {
      expect(RUNBOOK_FILES[code]).toBe(fs.readFileSync(path.join(RUNBOOK_DIR, `${code}.md`), 'utf8'));
    }
  });

  it('fails when a runbook is removed', () => {
    const issues = lintRunbooks(filesWithout('TT-LOGS-MISSING'), required);
    expect(issues).toEqual([{ code: 'TT-LOGS-MISSING', message: 'no runbook for this code' }]);
  });

  it('fails when the engine gains a code without a runbook', () => {
    const issues = lintRunbooks(RUNBOOK_FILES, [...required, 'TT-ERROR-NEW-CAUSE']);
    expect(issues).toEqual([{ code: 'TT-ERROR-NEW-CAUSE', message: 'no runbook for this code' }]);
  });

  it('fails when a file exists for an unknown code', () => {
    const md = RUNBOOK_FILES['TT-DENIED'].replace('# TT-DENIED', '# TT-BOGUS');
    const issues = lintRunbooks({ ...RUNBOOK_FILES, 'TT-BOGUS': md }, required);
    expect(issues).toEqual([{ code: 'TT-BOGUS', message: 'runbook for a code the engine does not know' }]);
  });

  it('fails when a section is missing, renamed or out of order', () => {
    const md = RUNBOOK_FILES['TT-METRICS-STALE'];
    expect(lintRunbook('TT-METRICS-STALE', md.replace('## Verify', '## Check'))).toEqual([
      expect.stringContaining('missing: Verify; unexpected: Check'),
    ]);
    const withoutFix = md.replace(/## Fix[\s\S]*?(?=## Verify)/, '');
    expect(lintRunbook('TT-METRICS-STALE', withoutFix)).toEqual([expect.stringContaining('missing: Fix')]);
    const swapped = md.replace('## Fix', '## TEMP').replace('## Verify', '## Fix').replace('## TEMP', '## Verify');
    expect(lintRunbook('TT-METRICS-STALE', swapped)).toEqual([expect.stringContaining('out of order')]);
  });

  it('fails when Confirm has no query or command block', () => {
    const md = RUNBOOK_FILES['TT-DENIED'];
    const sections = md.split('## Confirm');
    const afterConfirm = sections[1].slice(sections[1].indexOf('## Fix'));
    const noBlocks = `${sections[0]}## Confirm\n\nLook at it.\n\n${afterConfirm}`;
    expect(lintRunbook('TT-DENIED', noBlocks)).toEqual([
      expect.stringContaining('"Confirm" needs at least one code block'),
    ]);
  });

  it('fails on placeholders in prose, unknown placeholders, unquoted placeholders and raw HTML', () => {
    const md = RUNBOOK_FILES['TT-TRACES-EMPTY'];
    expect(lintRunbook('TT-TRACES-EMPTY', md.replace('Tempo answers,', 'Tempo {{service}} answers,'))).toEqual([
      'placeholders are only allowed inside code blocks',
    ]);
    expect(lintRunbook('TT-TRACES-EMPTY', md.replace('Tempo answers,', 'Tempo <b>answers</b>,'))).toEqual([
      'raw HTML in Markdown',
    ]);
    expect(lintRunbook('TT-TRACES-EMPTY', md.replace("DS='{{datasourceUid}}'", "DS='{{tenant}}'"))).toEqual([
      'unknown placeholder {{tenant}}',
    ]);
    expect(lintRunbook('TT-TRACES-EMPTY', md.replace("DS='{{datasourceUid}}'", 'DS={{datasourceUid}}'))).toEqual([
      expect.stringContaining('must stand inside single quotes'),
    ]);
  });

  it('every runbook has a title and the five sections in order', () => {
    for (const rb of runbooks) {
      expect(rb.title.length).toBeGreaterThan(10);
      expect(parseRunbookSections(rb.markdown).map((s) => s.title)).toEqual([...RUNBOOK_SECTIONS]);
    }
  });
});

describe('runbook content is grounded in the real failure modes', () => {
  const all = Object.values(RUNBOOK_FILES).join('\n');
  it.each([
    ['localhost default endpoint', /localhost:4318/],
    ['mobile vs backend port', /mobile/],
    ['no log exporter', /No log exporter/i],
    ['no trace exporter', /No trace exporter/i],
    ['Docker log source matching nothing', /Docker log source/],
    ['HTTPS enforcement on /metrics', /HTTPS_REQUIRED/],
    ['healthcheck binary missing', /binary missing from the\s+image/],
    ['identity label source vs job vs service_name', /`source`/],
    ['Tempo ingester vs backend blocks', /backend blocks/],
    ['Loki label browser window', /label browser/],
    ['retention', /retention/],
    ['tenant header', /X-Scope-OrgID/],
    ['Mimir /prometheus prefix', /\/prometheus/],
    ['clock skew', /Clock skew/i],
    ['auth proxy', /auth layer|auth proxy/i],
    ['collector self-metrics', /otelcol_receiver_accepted_spans/],
    ['Loki write drops', /loki_write_dropped_entries_total/],
  ])('%s', (_name, pattern) => {
    expect(all).toMatch(pattern);
  });
});

describe('getRunbook and groups', () => {
  it('finds runbooks by code, case-insensitively, and nothing for unknown codes', () => {
    expect(getRunbook('tt-logs-missing')?.title).toBe('Loki has logs from others, none for this service');
    expect(getRunbook('TT-NOPE')).toBeUndefined();
  });

  it('groups by signal and transport', () => {
    expect(runbookGroup('TT-TRACES-STALE')).toBe('traces');
    expect(runbookGroup('TT-ERROR-RATE-LIMITED')).toBe('transport');
    expect(runbookGroup('TT-NOT-CONFIGURED')).toBe('configuration');
  });
});

describe('fillRunbookContext', () => {
  it('leaves every runbook byte-identical when there is no context', () => {
    for (const md of Object.values(RUNBOOK_FILES)) {
      expect(fillRunbookContext(md, {})).toBe(md);
    }
  });

  it('fills code blocks only and keeps unknown values visible', () => {
    const md = 'Use {{service}} here.\n\n```logql\n{ {{identityLabel}}="{{service}}" }\n```\n';
    const out = fillRunbookContext(md, withDefaults('TT-LOGS-STALE', { service: 'checkout' }));
    expect(out).toBe('Use {{service}} here.\n\n```logql\n{ service_name="checkout" }\n```\n');
    expect(unfilledPlaceholders(fillPlaceholders('{ x="{{service}}" }', {}, 'logql'))).toEqual(['service']);
  });

  it('escapes values for query strings and refuses non-identifiers as label names', () => {
    expect(
      fillPlaceholders('{ {{identityLabel}}="{{service}}" }', { identityLabel: 'job', service: 'a"b\\c' }, 'promql')
    ).toBe('{ job="a\\"b\\\\c" }');
    expect(fillPlaceholders('{ {{identityLabel}}="x" }', { identityLabel: 'job="x"} or vector(1) #' }, 'promql')).toBe(
      '{ {{identityLabel}}="x" }'
    );
  });

  it('quotes values for the shell so a hostile service name cannot run commands', () => {
    const out = fillPlaceholders("SERVICE='{{service}}'", { service: "x'; rm -rf / #" }, 'bash');
    expect(out).toBe("SERVICE='x'\\''; rm -rf / #'");
    expect(fillPlaceholders('echo {{service}}', { service: '$(id)' }, 'bash')).toBe('echo {{service}}');
  });

  it('never lets a value add lines (a fence or a fake command)', () => {
    const out = fillRunbookContext("```bash\nSERVICE='{{service}}'\n```", {
      service: 'a\n```\n<img src=x onerror=alert(1)>',
    });
    expect(splitMarkdownBlocks(out)).toEqual([
      { type: 'code', lang: 'bash', code: "SERVICE='a ``` <img src=x onerror=alert(1)>'" },
    ]);
  });
});
