/** Stable selectors for the runbook list and runbook view (unit tests and the browser harness). */
export const runbookTestIds = {
  list: 'data-testid tt-runbooks',
  group: (group: string) => `data-testid tt-runbooks-group ${group}`,
  item: (code: string) => `data-testid tt-runbook-item ${code}`,
  view: 'data-testid tt-runbook',
  context: 'data-testid tt-runbook-context',
  contextQuery: 'data-testid tt-runbook-context-query',
  contextExplore: 'data-testid tt-runbook-context-explore',
  section: (title: string) => `data-testid tt-runbook-section ${title}`,
  codeBlock: 'data-testid tt-runbook-code',
  explore: 'data-testid tt-runbook-explore',
  override: 'data-testid tt-runbook-override',
  unknown: 'data-testid tt-runbook-unknown',
};
