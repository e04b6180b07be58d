/**
 * Stable selectors shared by unit tests and the browser harness. Prefer roles and accessible names; these
 * cover what roles cannot disambiguate (one cell among hundreds, one card among many).
 */
export const testIds = {
  page: {
    container: 'data-testid tt-truth-page',
    summary: 'data-testid tt-summary',
    refresh: 'data-testid tt-refresh',
    autoRefresh: 'data-testid tt-auto-refresh',
    engineError: 'data-testid tt-engine-error',
  },
  matrix: {
    container: 'data-testid tt-matrix',
    nameFilter: 'data-testid tt-matrix-name-filter',
    row: (service: string) => `data-testid tt-row ${service}`,
    cell: (service: string, signal: string) => `data-testid tt-cell ${service} ${signal}`,
  },
  datasources: {
    container: 'data-testid tt-datasources',
    card: (uid: string) => `data-testid tt-datasource ${uid}`,
  },
  drawer: {
    container: 'data-testid tt-drawer',
    query: 'data-testid tt-drawer-query',
    explore: 'data-testid tt-drawer-explore',
    runbook: 'data-testid tt-drawer-runbook',
  },
  discovery: {
    container: 'data-testid tt-discovery',
    add: (service: string) => `data-testid tt-discovery-add ${service}`,
  },
  export: {
    json: 'data-testid tt-export-json',
    markdown: 'data-testid tt-export-markdown',
    cli: 'data-testid tt-export-cli',
  },
  datasourcePage: {
    container: 'data-testid tt-datasource-page',
  },
  appConfig: {
    container: 'data-testid tt-config',
    services: 'data-testid tt-config-services',
    save: 'data-testid tt-config-save',
    testNow: 'data-testid tt-config-test-now',
    saveError: 'data-testid tt-config-save-error',
  },
};
