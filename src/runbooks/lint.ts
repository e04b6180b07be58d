/**
 * Structural lint for runbooks (model: Mimir's runbooks — stable codes, one page per code, no code without
 * its runbook). Pure so the test, and later the CLI, can run it on any in-memory set.
 */
import {
  CODE_LANGUAGES,
  parseRunbook,
  PLACEHOLDER_PATTERN,
  QUERY_LANGUAGES,
  quoteStateAt,
  RUNBOOK_PLACEHOLDERS,
  RUNBOOK_SECTIONS,
  splitMarkdownBlocks,
} from './index';

export interface RunbookLintIssue {
  code: string;
  message: string;
}

const CONFIRM_LANGUAGES = ['logql', 'promql', 'traceql', 'bash'];

/**
 * Lints `files` (code → Markdown) against the codes that need a runbook. Returns every problem found; an empty
 * list means the set is complete and well-formed.
 */
export function lintRunbooks(
  files: Readonly<Record<string, string>>,
  requiredCodes: readonly string[]
): RunbookLintIssue[] {
  const issues: RunbookLintIssue[] = [];
  for (const code of requiredCodes) {
    if (!(code in files)) {
      issues.push({ code, message: 'no runbook for this code' });
    }
  }
  for (const [code, markdown] of Object.entries(files)) {
    if (!requiredCodes.includes(code)) {
      issues.push({ code, message: 'runbook for a code the engine does not know' });
    }
    issues.push(...lintRunbook(code, markdown).map((message) => ({ code, message })));
  }
  return issues;
}

/** Problems of one runbook file. */
export function lintRunbook(code: string, markdown: string): string[] {
  const problems: string[] = [];
  const parsed = parseRunbook(markdown);
  const firstLine = markdown.split('\n').find((l) => l.trim() !== '') ?? '';
  if (!firstLine.startsWith('# ')) {
    problems.push('must start with a `# <CODE> — <title>` heading');
  }
  if (parsed.code !== code) {
    problems.push(`title heading names "${parsed.code}", expected "${code}"`);
  }
  if (!parsed.title) {
    problems.push('title is empty');
  }
  if (parsed.preamble) {
    problems.push('text between the title and "## What this means"');
  }

  const titles = parsed.sections.map((s) => s.title);
  if (titles.join('|') !== RUNBOOK_SECTIONS.join('|')) {
    const missing = RUNBOOK_SECTIONS.filter((s) => !titles.includes(s));
    const extra = titles.filter((t) => !(RUNBOOK_SECTIONS as readonly string[]).includes(t));
    const detail = [
      missing.length ? `missing: ${missing.join(', ')}` : '',
      extra.length ? `unexpected: ${extra.join(', ')}` : '',
      !missing.length && !extra.length ? `out of order: ${titles.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    problems.push(`sections must be exactly ${RUNBOOK_SECTIONS.join(', ')} (${detail})`);
  }
  for (const section of parsed.sections) {
    if (!section.markdown.trim()) {
      problems.push(`section "${section.title}" is empty`);
    }
  }
  const causes = parsed.sections.find((s) => s.title === 'Likely causes');
  if (causes && !/^1\.\s/m.test(causes.markdown)) {
    problems.push('"Likely causes" must be a numbered list (most likely first)');
  }
  const confirm = parsed.sections.find((s) => s.title === 'Confirm');
  if (confirm) {
    const blocks = splitMarkdownBlocks(confirm.markdown).filter((b) => b.type === 'code');
    if (!blocks.some((b) => b.type === 'code' && CONFIRM_LANGUAGES.includes(b.lang))) {
      problems.push(`"Confirm" needs at least one code block tagged ${CONFIRM_LANGUAGES.join('/')}`);
    }
  }

  for (const block of splitMarkdownBlocks(markdown)) {
    if (block.type === 'markdown') {
      const prose = block.text.replace(/`[^`\n]*`/g, '');
      if (/\{\{[A-Za-z][A-Za-z0-9]*\}\}/.test(block.text)) {
        problems.push('placeholders are only allowed inside code blocks');
      }
      if (/<\/?[A-Za-z][^>]*>|<!--/.test(prose)) {
        problems.push('raw HTML in Markdown');
      }
      continue;
    }
    if (!(CODE_LANGUAGES as readonly string[]).includes(block.lang)) {
      problems.push(`code block language "${block.lang}" is not one of ${CODE_LANGUAGES.join(', ')}`);
    }
    block.code.split('\n').forEach((line) => {
      for (const m of line.matchAll(PLACEHOLDER_PATTERN)) {
        const key = m[1];
        if (!(RUNBOOK_PLACEHOLDERS as readonly string[]).includes(key)) {
          problems.push(`unknown placeholder {{${key}}}`);
          continue;
        }
        const index = m.index ?? 0;
        if (block.lang === 'bash' && !quoteStateAt(line, index, true).single) {
          problems.push(`{{${key}}} in a bash block must stand inside single quotes: ${line.trim()}`);
        }
        if (block.lang in QUERY_LANGUAGES && key !== 'identityLabel' && !quoteStateAt(line, index, false).double) {
          problems.push(`{{${key}}} in a ${block.lang} block must stand inside a "string": ${line.trim()}`);
        }
      }
    });
  }
  return problems;
}
