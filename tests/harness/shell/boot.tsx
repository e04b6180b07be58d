/**
 * HARNESS SHELL — a stand-in for Grafana's frontend, NOT Grafana. Bundled once per Grafana line by esbuild
 * (tests/harness/build-shell.ts) from that line's real npm packages.
 *
 * It does what Grafana's frontend does for an app plugin, in the same order:
 *  1. `window.grafanaBootData` (rendered into the page by tests/harness/server.ts, like Grafana's index.html)
 *     is read by @grafana/runtime's `config` when the module is first evaluated;
 *  2. Grafana's shared modules are registered in SystemJS under the names the plugin's AMD `define([...])`
 *     asks for (public/app/features/plugins/loader/sharedDependencies.ts of that line);
 *  3. runtime services are set (BackendSrv, DataSourceSrv, LocationService, appEvents, PluginPage);
 *  4. `/api/plugins/<id>/settings` gives the meta; `module.js` is imported AS A URL through SystemJS + its AMD
 *     extra; `plugin.init(meta)`; then the app root / config page / panel is mounted inside that line's router
 *     setup (10.3: v5 Router + CompatRouter + v5 Route `/a/:pluginId/`; current: v5 Router +
 *     LocationServiceProvider + CompatRouter + v6 Route `/a/:pluginId/*`).
 */
// SystemJS + its AMD extra, as Grafana's plugin loader uses (10.3's @grafana/runtime imports the same files).
import 'systemjs/dist/system.js';
import 'systemjs/dist/extras/amd.js';
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import {
  AppPlugin,
  EventBusSrv,
  LoadingState,
  PanelPlugin,
  PluginContextProvider,
  dateTime,
  getDefaultTimeRange,
  type AppPluginMeta,
  type DataSourceInstanceSettings,
  type NavModel,
  type PanelProps,
  type PluginMeta,
} from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import {
  RefreshEvent,
  config,
  locationSearchToObject,
  locationService,
  setAppEvents,
  setBackendSrv,
  setDataSourceSrv,
  type PluginPageProps,
} from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import { Alert, ErrorBoundaryAlert, GlobalStyles, LoadingPlaceholder, PortalContainer, ThemeContext } from '@grafana/ui';
import * as i18next from 'i18next';
import jquery from 'jquery';
import lodash from 'lodash';
// Grafana shares moment with plugins (sharedDependencies.ts), so the shell must provide it.
// eslint-disable-next-line no-restricted-imports
import moment from 'moment';
import prismjs from 'prismjs';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as reactRedux from 'react-redux';
import * as reactRouterDom from 'react-router-dom';
import * as reactRouterCompat from 'react-router-dom-v5-compat';
import * as redux from 'redux';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';
import { asBackendSrv, HarnessBackendSrv, type AlertKind } from './backendSrv';

declare const HARNESS_LINE: string;

interface HarnessWindow {
  System: {
    set(id: string, module: object): void;
    addImportMap(map: { imports: Record<string, string> }): void;
    import(id: string): Promise<Record<string, unknown>>;
  };
  __harness: HarnessState;
}

interface HarnessToast {
  kind: AlertKind;
  text: string;
}

interface HarnessState {
  line: string;
  ready: boolean;
  error?: string;
  toasts: HarnessToast[];
  requests: HarnessBackendSrv['requests'];
  refreshPanel?: () => void;
  panelEvents: string[];
  /** In-app navigations done by the link interceptor. */
  navigations: string[];
  /** Module names this line's shell shares with plugins. */
  shared?: string[];
}

const w = window as unknown as HarnessWindow;
const PLUGIN_ID = 'scanium-telemetrytruth-app';
const harness: HarnessState = {
  line: HARNESS_LINE,
  ready: false,
  toasts: [],
  requests: [],
  panelEvents: [],
  navigations: [],
};
w.__harness = harness;

// ---------------------------------------------------------------------------------------------------------------
// 2. Shared modules (the map of each line; modules irrelevant to this plugin — d3, slate, kusto, jquery.flot and
//    the `app/core/*` legacy paths — are not provided: loading a plugin that needs them fails loudly here).
// ---------------------------------------------------------------------------------------------------------------
const isCurrent = HARNESS_LINE === 'current';
const grafanaUIShared: Record<string, unknown> = { ...grafanaUi };
grafanaUIShared.PanelPlugin = grafanaData.PanelPlugin;
grafanaUIShared.AppPlugin = grafanaData.AppPlugin;
grafanaUIShared.DataSourcePlugin = grafanaData.DataSourcePlugin;
grafanaUIShared.DataSourceApi = grafanaData.DataSourceApi;

/** Grafana's own PluginPage (core `app/core/components/Page`) — the harness renders title, actions, children. */
function HarnessPluginPage(props: PluginPageProps) {
  const title = props.pageNav?.text ?? 'Telemetry Truth';
  return (
    <div data-testid="harness-plugin-page" style={{ padding: 16 }}>
      <header style={{ display: 'flex', alignItems: 'center', gap: 16, marginBottom: 16, flexWrap: 'wrap' }}>
        {props.renderTitle ? props.renderTitle(title) : <h1 style={{ margin: 0 }}>{title}</h1>}
        {props.actions ? <div style={{ marginLeft: 'auto' }}>{props.actions}</div> : null}
      </header>
      {props.subTitle ? <div style={{ marginBottom: 16 }}>{props.subTitle}</div> : null}
      <main>{props.children}</main>
    </div>
  );
}
const runtimeWithSetter = grafanaRuntime as unknown as { setPluginPage?: (c: unknown) => void };
if (typeof runtimeWithSetter.setPluginPage === 'function') {
  runtimeWithSetter.setPluginPage(HarnessPluginPage);
}
// Grafana 11.3+ tells @grafana/ui how tall its chrome header is (drawers and sticky headers start below it).
const runtimeChrome = grafanaRuntime as unknown as { setChromeHeaderHeightHook?: (hook: () => number) => void };
runtimeChrome.setChromeHeaderHeightHook?.(() => 41);
const grafanaRuntimeShared: Record<string, unknown> = { ...grafanaRuntime, PluginPage: HarnessPluginPage };

const useDefault = (mod: unknown) => ({ default: mod, __useDefault: true });
const shared: Record<string, object> = {
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntimeShared,
  '@grafana/ui': grafanaUIShared,
  emotion: emotionCss,
  i18next,
  jquery: useDefault(jquery),
  lodash: isCurrent ? { ...lodash, __useDefault: true, default: lodash } : useDefault(lodash),
  moment: isCurrent ? { ...moment, __useDefault: true, default: moment } : useDefault(moment),
  prismjs,
  react: React,
  'react-dom': ReactDOM,
  'react-redux': reactRedux,
  // Both lines: 'react-router-dom' is v5, 'react-router' is react-router-dom-v5-compat (v6 API).
  'react-router-dom': reactRouterDom,
  'react-router': reactRouterCompat,
  redux,
  rxjs,
  'rxjs/operators': rxjsOperators,
};
if (isCurrent) {
  // Added after 10.3: the JSX runtime and react-dom/client are shared on the current line only.
  shared['react/jsx-runtime'] = require('react/jsx-runtime');
  shared['react/jsx-dev-runtime'] = require('react/jsx-dev-runtime');
  shared['react-dom/client'] = ReactDOMClient;
}
// Grafana: SHARED_DEPENDENCY_PREFIX 'package' + an import map from bare names to those ids.
const imports: Record<string, string> = {};
for (const [name, mod] of Object.entries(shared)) {
  const id = `package:${name}`;
  w.System.set(id, mod);
  imports[name] = id;
}
w.System.addImportMap({ imports });
harness.shared = Object.keys(shared);

// Grafana moves SystemJS' global AMD `define` away (so Monaco's RequireJS works) and wraps every fetched AMD
// plugin file in `(function(define){…})(window.__grafana_amd_define)` (loader/systemjsHooks.ts
// decorateSystemJSFetch). 10.3's @grafana/runtime already did the move when it was imported; the current line
// does it in core, so the harness does it here if still needed.
const amdWindow = window as unknown as { define?: unknown; __grafana_amd_define?: unknown };
if (amdWindow.define) {
  amdWindow.__grafana_amd_define = amdWindow.define;
  amdWindow.define = undefined;
}
const AMD_MODULE_REGEX = /^\s*define\(/m;
const systemProto = Object.getPrototypeOf(w.System) as {
  fetch: (url: string, options?: RequestInit) => Promise<Response>;
  shouldFetch: (url: string) => boolean;
};
// Grafana fetches plugin JavaScript (rather than injecting <script>) so the hook below can wrap it.
const originalShouldFetch = systemProto.shouldFetch;
systemProto.shouldFetch = function (this: unknown, url: string) {
  return originalShouldFetch.call(this, url) || /\.js(\?|$)/.test(url);
};
const originalFetch = systemProto.fetch;
systemProto.fetch = async function (this: unknown, url: string, options?: RequestInit) {
  const res = await originalFetch.call(this, url, options);
  const contentType = res.headers.get('content-type') ?? '';
  if (/^(text|application)\/(x-)?javascript(;|$)/.test(contentType)) {
    const source = await res.text();
    const wrapped = AMD_MODULE_REGEX.test(source)
      ? `(function(define) {\n  ${source}\n})(window.__grafana_amd_define);`
      : source;
    return new Response(new Blob([wrapped], { type: 'text/javascript' }));
  }
  return res;
};

// ---------------------------------------------------------------------------------------------------------------
// 3. Services
// ---------------------------------------------------------------------------------------------------------------
const appEvents = new EventBusSrv();
setAppEvents(appEvents);
let notifyToasts: (() => void) | undefined;
const backendSrv = new HarnessBackendSrv((kind, payload) => {
  harness.toasts.push({ kind, text: payload.join(' ') });
  notifyToasts?.();
});
harness.requests = backendSrv.requests;
(harness as unknown as { backendSrv: HarnessBackendSrv }).backendSrv = backendSrv;
(harness as unknown as { lastValueFrom: typeof rxjs.lastValueFrom }).lastValueFrom = rxjs.lastValueFrom;
setBackendSrv(asBackendSrv(backendSrv));
// Grafana core (app.ts) initialises locationUtil with the boot config, so assureBaseUrl/stripBaseFromUrl know
// the sub-path, and intercepts clicks on internal <a href> to navigate through locationService (no reload)
// — app/core/navigation/patch/interceptLinkClicks.ts.
grafanaData.locationUtil.initialize({
  config: config as unknown as Parameters<typeof grafanaData.locationUtil.initialize>[0]['config'],
  getTimeRangeForUrl: () => ({ from: 'now-6h', to: 'now' }),
  getVariablesUrlParams: () => ({}),
});
document.addEventListener('click', (e: MouseEvent) => {
  const anchor = e.target instanceof HTMLElement ? e.target.closest('a') : null;
  if (!anchor || e.ctrlKey || e.metaKey || e.defaultPrevented) {
    return;
  }
  let href = anchor.getAttribute('href');
  const target = anchor.getAttribute('target');
  if (!href || target) {
    return;
  }
  e.preventDefault();
  href = grafanaData.locationUtil.stripBaseFromUrl(href);
  if (href[0] !== '/') {
    if (href.includes('://') || href.startsWith('mailto:')) {
      window.location.assign(href);
      return;
    }
    if (href.indexOf('#') === 0) {
      window.location.hash = href;
      return;
    }
    href = `/${href}`;
  }
  harness.navigations.push(href);
  locationService.push(href);
});

// No setLocationService: @grafana/runtime's own `locationService` is already a HistoryWrapper over the browser
// history (basename appSubUrl), exactly what Grafana uses; the setter throws outside NODE_ENV=test.

type DsSettings = DataSourceInstanceSettings;
function allDatasources(): DsSettings[] {
  return Object.values(config.datasources ?? {}).sort((a, b) => a.name.localeCompare(b.name));
}
function findDatasource(ref: unknown): DsSettings | undefined {
  const list = allDatasources();
  if (ref === null || ref === undefined || ref === 'default') {
    return list.find((d) => d.isDefault) ?? list[0];
  }
  if (typeof ref === 'string') {
    return list.find((d) => d.uid === ref || d.name === ref);
  }
  if (typeof ref === 'object' && ref !== null && 'uid' in ref) {
    const uid = (ref as { uid?: unknown }).uid;
    return list.find((d) => d.uid === uid || d.name === uid);
  }
  return undefined;
}
const dataSourceSrv = {
  getList(filters: Record<string, unknown> = {}) {
    return allDatasources().filter((ds) => {
      const types = filters.type === undefined ? undefined : ([] as unknown[]).concat(filters.type);
      if (types && !types.includes(ds.type)) {
        return false;
      }
      if (typeof filters.pluginId === 'string' && ds.meta?.id !== filters.pluginId) {
        return false;
      }
      if (filters.metrics && !ds.meta?.metrics) {
        return false;
      }
      if (filters.logs && !ds.meta?.logs) {
        return false;
      }
      if (filters.tracing && !ds.meta?.tracing) {
        return false;
      }
      if (typeof filters.filter === 'function' && !filters.filter(ds)) {
        return false;
      }
      return true;
    });
  },
  getInstanceSettings(ref: unknown) {
    return findDatasource(ref);
  },
  async get(ref: unknown) {
    const ds = findDatasource(ref);
    if (!ds) {
      throw new Error(`Datasource ${JSON.stringify(ref)} was not found`);
    }
    // Not a real DataSourceApi: the harness loads no datasource plugins.
    return { ...ds, getRef: () => ({ uid: ds.uid, type: ds.type }) };
  },
  reload() {},
  registerRuntimeDataSource() {},
};
setDataSourceSrv(dataSourceSrv as unknown as Parameters<typeof setDataSourceSrv>[0]);

// Grafana core registers its option editors at start-up (getAllOptionEditors); panel option builders look their
// ids up there. The harness registers the standard ids with no editor UI (no panel editor is rendered here).
// (Ids: the standardEditorsRegistry.get(...) calls in @grafana/data's OptionsUIBuilders, same on both lines.)
const STANDARD_EDITOR_IDS = [
  'boolean', 'color', 'dashboard-uid', 'field-name', 'multi-select', 'number', 'radio', 'select', 'slider',
  'strings', 'text', 'timezone', 'unit', 'links', 'mappings', 'thresholds', 'stats-picker', 'fieldColor',
];
grafanaData.standardEditorsRegistry.setInit(() =>
  STANDARD_EDITOR_IDS.map((id) => ({ id, name: id, description: '', editor: () => null }))
);

// ---------------------------------------------------------------------------------------------------------------
// 4. Plugin loading (importPluginModule → SystemJS.import of the module URL, then plugin.init(meta))
// ---------------------------------------------------------------------------------------------------------------
async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) {
    throw new Error(`${url} answered ${res.status}`);
  }
  return res.json();
}

async function loadAppMeta(): Promise<AppPluginMeta> {
  const settings = await fetchJson(`api/plugins/${PLUGIN_ID}/settings`);
  // A real Grafana derives these from plugin.json; the emulator may leave some out.
  const pluginJson = await fetchJson(`public/plugins/${PLUGIN_ID}/plugin.json`);
  const s = (settings && typeof settings === 'object' ? settings : {}) as Record<string, unknown>;
  const p = (pluginJson && typeof pluginJson === 'object' ? pluginJson : {}) as Record<string, unknown>;
  return {
    ...p,
    ...s,
    id: PLUGIN_ID,
    type: 'app',
    enabled: s.enabled !== false,
    baseUrl: typeof s.baseUrl === 'string' ? s.baseUrl : `public/plugins/${PLUGIN_ID}`,
    module: typeof s.module === 'string' ? s.module : `public/plugins/${PLUGIN_ID}/module.js`,
    includes: Array.isArray(s.includes) ? s.includes : p.includes,
    info: (s.info ?? p.info) as PluginMeta['info'],
    jsonData: (s.jsonData ?? {}) as object,
  } as AppPluginMeta;
}

async function importModule(path: string, version: string) {
  // Grafana: SystemJS.import(resolveModulePath(path) + cache buster). Relative to <base href>.
  // (Grafana's systemjs resolve hook turns the page-relative `public/...` path into a URL; so do we.)
  const url = new URL(`${path.replace(/^\//, '')}?_cache=${encodeURIComponent(version)}`, document.baseURI);
  return w.System.import(url.href);
}

async function importAppPlugin(): Promise<AppPlugin> {
  const meta = await loadAppMeta();
  const exports = await importModule(meta.module, meta.info?.version ?? '1');
  const plugin = exports.plugin instanceof AppPlugin ? exports.plugin : undefined;
  if (!plugin) {
    throw new Error('module.js does not export an AppPlugin named "plugin"');
  }
  plugin.init(meta);
  plugin.meta = meta;
  return plugin;
}

async function importPanelPlugin(): Promise<PanelPlugin> {
  const panelJson = await fetchJson(`public/plugins/${PLUGIN_ID}/panels/telemetry-truth/plugin.json`);
  const p = (panelJson && typeof panelJson === 'object' ? panelJson : {}) as Record<string, unknown>;
  const meta = {
    ...p,
    module: `public/plugins/${PLUGIN_ID}/panels/telemetry-truth/module.js`,
    baseUrl: `public/plugins/${PLUGIN_ID}/panels/telemetry-truth`,
  } as unknown as PluginMeta;
  const exports = await importModule(meta.module, '1');
  const plugin = exports.plugin instanceof PanelPlugin ? exports.plugin : undefined;
  if (!plugin) {
    throw new Error('panels/telemetry-truth/module.js does not export a PanelPlugin named "plugin"');
  }
  plugin.meta = { ...plugin.meta, ...meta } as typeof plugin.meta;
  return plugin;
}

function usePromise<T>(factory: () => Promise<T>): { value?: T; error?: string } {
  const [state, setState] = React.useState<{ value?: T; error?: string }>({});
  React.useEffect(() => {
    factory().then(
      (value) => setState({ value }),
      (e: unknown) => {
        const msg = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
        harness.error = msg;
        setState({ error: msg });
      }
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return state;
}

function LoadError({ error }: { error: string }) {
  return (
    <Alert severity="error" title="Harness: plugin failed to load" data-testid="harness-load-error">
      <pre>{error}</pre>
    </Alert>
  );
}

let appPluginPromise: Promise<AppPlugin> | undefined;
const getAppPlugin = () => (appPluginPromise ??= importAppPlugin());

// ---- App root page (AppRootPage of each line) ----
/** userHasPermissionsToPluginPage of AppRootPage.tsx (12/13), without RBAC actions (none in our plugin.json). */
function userMayOpenInclude(meta: AppPluginMeta, pathname: string): boolean {
  const include = meta.includes?.find((i) => i.path === pathname);
  if (!include) {
    return true;
  }
  const user = config.bootData.user;
  if (user.isGrafanaAdmin || user.orgRole === 'Admin') {
    return true;
  }
  const role = include.role ?? '';
  if (!role || (user.orgRole === 'Editor' && role === 'Viewer')) {
    return true;
  }
  return user.orgRole === role;
}

function AppRoot({ basename }: { basename: string }) {
  const location = reactRouterCompat.useLocation();
  const { value: plugin, error } = usePromise(getAppPlugin);
  const [, setNav] = React.useState<NavModel | undefined>();
  const query = React.useMemo(() => locationSearchToObject(location.search), [location.search]);
  if (error) {
    return <LoadError error={error} />;
  }
  if (!plugin) {
    return <LoadingPlaceholder text="Loading plugin..." />;
  }
  if (!plugin.root) {
    return <div>No root app page component found</div>;
  }
  const Root = plugin.root;
  if (isCurrent && !userMayOpenInclude(plugin.meta, location.pathname)) {
    // AppRootPage (12/13) checks the role of the plugin.json include whose path is the current page.
    return (
      <Alert severity="warning" title="Access denied" data-testid="harness-access-denied">
        You do not have permission to see this page.
      </Alert>
    );
  }
  return (
    <PluginContextProvider meta={plugin.meta}>
      <ErrorBoundaryAlert>
        <Root meta={plugin.meta} basename={basename} onNavChanged={setNav} query={query} path={location.pathname} />
      </ErrorBoundaryAlert>
    </PluginContextProvider>
  );
}

function AppRoot103() {
  // v5 route `/a/:pluginId/` (not exact): basename is the v5 match.url
  const match = reactRouterDom.useRouteMatch();
  return <AppRoot basename={match.url} />;
}

function AppRootCurrent() {
  // v6 route `/a/:pluginId/*`: basename is location.pathname (AppRootPage.tsx of 12/13)
  const location = reactRouterCompat.useLocation();
  return <AppRoot basename={location.pathname} />;
}

// ---- Plugin configuration page (/plugins/<id>?page=<configPage id>, like PluginDetailsPage) ----
function ConfigPage() {
  const location = reactRouterCompat.useLocation();
  const { value: plugin, error } = usePromise(getAppPlugin);
  const query = locationSearchToObject(location.search);
  if (error) {
    return <LoadError error={error} />;
  }
  if (!plugin) {
    return <LoadingPlaceholder text="Loading plugin..." />;
  }
  const pages = plugin.configPages ?? [];
  const wanted = typeof query.page === 'string' ? query.page : pages[0]?.id;
  const page = pages.find((p) => p.id === wanted) ?? pages[0];
  if (!page) {
    return <div data-testid="harness-no-config-page">This plugin has no configuration page.</div>;
  }
  const Body = page.body;
  return (
    <div style={{ padding: 16 }} data-testid="harness-config-page">
      <h1>{plugin.meta.name}</h1>
      <nav aria-label="Plugin tabs" style={{ marginBottom: 16 }}>
        {pages.map((p) => (
          <span key={p.id} aria-current={p.id === page.id ? 'page' : undefined} style={{ marginRight: 16 }}>
            {p.title}
          </span>
        ))}
      </nav>
      <PluginContextProvider meta={plugin.meta}>
        <ErrorBoundaryAlert>
          <Body plugin={plugin} query={query} />
        </ErrorBoundaryAlert>
      </PluginContextProvider>
    </div>
  );
}

// ---- Panel (/harness/panel?width=&height=&options=<json>&title=) ----
let panelPluginPromise: Promise<PanelPlugin> | undefined;
const getPanelPlugin = () => (panelPluginPromise ??= importPanelPlugin());

function PanelView() {
  const location = reactRouterCompat.useLocation();
  const query = locationSearchToObject(location.search);
  const width = Number(query.width ?? 420);
  const height = Number(query.height ?? 240);
  const title = typeof query.title === 'string' ? query.title : 'Telemetry Truth';
  const { value: plugin, error } = usePromise(getPanelPlugin);
  const eventBus = React.useMemo(() => new EventBusSrv(), []);
  const [renderCounter, setRenderCounter] = React.useState(0);
  const [options, setOptions] = React.useState<Record<string, unknown> | undefined>();
  React.useEffect(() => {
    harness.refreshPanel = () => {
      harness.panelEvents.push('refresh');
      eventBus.publish(new RefreshEvent());
    };
  }, [eventBus]);
  React.useEffect(() => {
    if (!plugin) {
      return;
    }
    let fromUrl: Record<string, unknown> = {};
    if (typeof query.options === 'string') {
      const parsed: unknown = JSON.parse(query.options);
      if (parsed && typeof parsed === 'object') {
        fromUrl = parsed as Record<string, unknown>;
      }
    }
    const defaults = (plugin as unknown as { defaults?: Record<string, unknown> }).defaults ?? {};
    // Seeded once when the module arrives, like a panel's saved options; later edits come via onOptionsChange.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setOptions(lodash.merge({}, defaults, fromUrl));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [plugin]);
  if (error) {
    return <LoadError error={error} />;
  }
  if (!plugin || !options) {
    return <LoadingPlaceholder text="Loading panel..." />;
  }
  const Panel = plugin.panel as unknown as React.ComponentType<PanelProps>;
  if (!Panel) {
    return <div>Panel plugin has no panel component</div>;
  }
  const timeRange = getDefaultTimeRange();
  const props: PanelProps = {
    id: 1,
    data: { state: LoadingState.Done, series: [], timeRange },
    timeRange,
    timeZone: 'browser',
    options,
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width,
    height,
    title,
    eventBus,
    renderCounter,
    onOptionsChange: (o: Record<string, unknown>) => {
      setOptions(o);
      setRenderCounter((c) => c + 1);
    },
    onFieldConfigChange: () => {},
    replaceVariables: (s: string) => s,
    onChangeTimeRange: () => {},
  } as unknown as PanelProps;
  return (
    <div style={{ padding: 16 }}>
      <section
        aria-label={`Panel ${title}`}
        data-testid="harness-panel-chrome"
        style={{
          width: width + 16,
          border: `1px solid ${config.theme2.colors.border.weak}`,
          borderRadius: config.theme2.shape.radius.default,
          background: config.theme2.colors.background.primary,
          padding: 8,
        }}
      >
        <h2 style={{ fontSize: 14, margin: '0 0 8px 0' }}>{title}</h2>
        <div style={{ width, height, overflow: 'hidden' }}>
          <PluginContextProvider meta={plugin.meta}>
            <ErrorBoundaryAlert>
              <Panel {...props} />
            </ErrorBoundaryAlert>
          </PluginContextProvider>
        </div>
      </section>
      <p style={{ marginTop: 8 }}>Dashboard time: {dateTime(timeRange.from).toISOString()} to now</p>
    </div>
  );
}

// ---- Toasts (Grafana's AppNotificationList, simplified) ----
function Toasts() {
  const [, force] = React.useState(0);
  React.useEffect(() => {
    notifyToasts = () => force((n) => n + 1);
    return () => {
      notifyToasts = undefined;
    };
  }, []);
  if (harness.toasts.length === 0) {
    return null;
  }
  return (
    <div style={{ position: 'fixed', top: 8, right: 8, zIndex: 10000, width: 360 }}>
      {harness.toasts.map((t, i) => (
        <Alert
          key={i}
          data-testid="harness-toast"
          severity={t.kind === 'alert-error' ? 'error' : 'success'}
          title={t.text}
        />
      ))}
    </div>
  );
}

function NotFound() {
  const location = reactRouterCompat.useLocation();
  return <div data-testid="harness-not-found">Harness: no page at {location.pathname}</div>;
}

/** Grafana's GrafanaRoute: every route component renders inside an ErrorBoundary and a Suspense boundary. */
function GrafanaRoute({ children }: { children: React.ReactNode }) {
  return (
    <ErrorBoundaryAlert style="page">
      <React.Suspense fallback={<LoadingPlaceholder text="Loading..." data-testid="harness-route-loading" />}>
        {children}
      </React.Suspense>
    </ErrorBoundaryAlert>
  );
}

function Routes103() {
  const { Router, Switch, Route } = reactRouterDom;
  return (
    <Router history={locationService.getHistory()}>
      <reactRouterCompat.CompatRouter>
        <Switch>
          <Route path="/a/:pluginId/" render={() => <GrafanaRoute><AppRoot103 /></GrafanaRoute>} />
          <Route path="/plugins/:pluginId" render={() => <GrafanaRoute><ConfigPage /></GrafanaRoute>} />
          <Route path="/harness/panel" render={() => <GrafanaRoute><PanelView /></GrafanaRoute>} />
          <Route component={NotFound} />
        </Switch>
      </reactRouterCompat.CompatRouter>
    </Router>
  );
}

function RoutesCurrent() {
  const { Router } = reactRouterDom;
  const { CompatRouter, Routes, Route } = reactRouterCompat;
  // LocationServiceProvider exists from runtime 11.2 on (looked up by name so the 10.3 bundle builds cleanly).
  const Provider = (grafanaRuntime as unknown as Record<string, React.ComponentType<any>>)[
    ['LocationService', 'Provider'].join('')
  ];
  return (
    <Router history={locationService.getHistory()}>
      <Provider service={locationService}>
        <CompatRouter>
          <Routes>
            <Route path="/a/:pluginId/*" element={<GrafanaRoute><AppRootCurrent /></GrafanaRoute>} />
            <Route path="/plugins/:pluginId" element={<GrafanaRoute><ConfigPage /></GrafanaRoute>} />
            <Route path="/harness/panel" element={<GrafanaRoute><PanelView /></GrafanaRoute>} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </CompatRouter>
      </Provider>
    </Router>
  );
}

function HarnessTopBar() {
  const theme = config.theme2;
  return (
    <div
      data-testid="harness-top-bar"
      style={{
        height: 40,
        flexShrink: 0,
        display: 'flex',
        alignItems: 'center',
        gap: 8,
        padding: '0 16px',
        borderBottom: `1px solid ${theme.colors.border.weak}`,
        background: theme.colors.background.primary,
        color: theme.colors.text.secondary,
        fontSize: theme.typography.bodySmall.fontSize,
      }}
    >
      <span>Home</span>
      <span aria-hidden="true">›</span>
      <span>Apps</span>
      <span aria-hidden="true">›</span>
      <span style={{ color: theme.colors.text.primary }}>Telemetry Truth</span>
      <span style={{ marginLeft: 'auto' }}>
        e2e harness · Grafana {config.buildInfo.version} shared modules ({HARNESS_LINE} line) · not Grafana
      </span>
    </div>
  );
}

function Shell() {
  React.useEffect(() => {
    harness.ready = true;
    document.body.dataset.harnessReady = 'true';
  }, []);
  return (
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      <div className="grafana-app" data-testid="harness-app">
        {/* Grafana's AppChrome: `.main-view` is where 10.3's Drawer portals (getContainer: '.main-view') and what
            its `top` offsets refer to; the harness header plays the 40 px top bar (search bar hidden). */}
        <div className="main-view main-view--search-bar-hidden" style={{ position: 'relative', minHeight: '100vh' }}>
          <HarnessTopBar />
          {isCurrent ? <RoutesCurrent /> : <Routes103 />}
        </div>
        <Toasts />
        <PortalContainer />
      </div>
    </ThemeContext.Provider>
  );
}

const rootEl = document.getElementById('reactRoot');
if (!rootEl) {
  throw new Error('#reactRoot is missing');
}
if (isCurrent) {
  ReactDOMClient.createRoot(rootEl).render(<Shell />);
} else {
  // Grafana 10.3 still mounts with the legacy ReactDOM.render (app.ts).
  (ReactDOM as unknown as { render: (el: React.ReactElement, c: Element) => void }).render(<Shell />, rootEl);
}
