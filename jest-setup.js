// Jest setup provided by Grafana scaffolding. It touches DOM globals (HTMLCanvasElement, matchMedia),
// so it only runs under jsdom; engine, CLI and integration tests use `@jest-environment node`.
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
}
