/**
 * Turning a runbook URL (`runbooks/TT-LOGS-MISSING?service=…&datasourceUid=…`) into the failing check's context,
 * and choosing where each Confirm query opens in Explore. No React here, so it stays easy to test.
 */
import type { BackendType, Signal } from '../../engine/model';
import { QUERY_LANGUAGES, RUNBOOK_PLACEHOLDERS, type RunbookContext } from '../../runbooks';

/** URL query parameters a runbook link may carry (all optional, all untrusted plain text). */
export const RUNBOOK_QUERY_PARAMS = RUNBOOK_PLACEHOLDERS.filter((p) => p !== 'code');

const MAX_PARAM_LENGTH = 4000;

export function contextFromSearch(search: string): RunbookContext {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const context: RunbookContext = {};
  for (const key of RUNBOOK_QUERY_PARAMS) {
    const value = params.get(key);
    if (value !== null && value.trim() !== '') {
      context[key] = value.trim().slice(0, MAX_PARAM_LENGTH);
    }
  }
  return context;
}

export function hasContext(context: RunbookContext): boolean {
  return RUNBOOK_QUERY_PARAMS.some((key) => context[key] !== undefined && key !== 'identityLabel');
}

export function isSignal(value: unknown): value is Signal {
  return value === 'metrics' || value === 'logs' || value === 'traces';
}

const BACKEND_OF_SIGNAL: Record<Signal, BackendType> = { metrics: 'prometheus', logs: 'loki', traces: 'tempo' };

export function backendOfSignal(signal: Signal): BackendType {
  return BACKEND_OF_SIGNAL[signal];
}

/** A datasource the user could open a query in. */
export interface QueryDatasource {
  uid: string;
  name: string;
  type: BackendType;
  isDefault?: boolean;
}

/**
 * Where a code block of `lang` opens: the failing check's own datasource when it has the right type, else the
 * default (or first) visible datasource of that type, else nowhere.
 */
export function datasourceForLanguage(
  lang: string,
  context: RunbookContext,
  datasources: readonly QueryDatasource[]
): QueryDatasource | undefined {
  const type = QUERY_LANGUAGES[lang];
  if (!type) {
    return undefined;
  }
  if (context.datasourceUid && isSignal(context.signal) && backendOfSignal(context.signal) === type) {
    const known = datasources.find((d) => d.uid === context.datasourceUid);
    return known ?? { uid: context.datasourceUid, name: context.datasource ?? context.datasourceUid, type };
  }
  const candidates = datasources.filter((d) => d.type === type);
  return candidates.find((d) => d.isDefault) ?? candidates[0];
}

/** The backend type of the failing check's datasource, from its signal. */
export function contextBackend(context: RunbookContext): BackendType | undefined {
  return isSignal(context.signal) ? backendOfSignal(context.signal) : undefined;
}

/** "3 h 2 min ago" from a number of seconds; other text is shown as given. */
export function formatAge(age: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(age)) {
    return age;
  }
  const seconds = Math.round(Number(age));
  if (seconds < 0) {
    return `${formatDuration(-seconds)} in the future (clock skew)`;
  }
  return `${formatDuration(seconds)} ago`;
}

function formatDuration(total: number): string {
  if (total < 60) {
    return `${total} s`;
  }
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (days > 0) {
    return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  }
  if (hours > 0) {
    return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  return `${minutes} min`;
}

/** Only http(s) URLs and same-origin paths may be used as an organisation's runbook link. */
export function safeRunbookUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') {
    return undefined;
  }
  const trimmed = url.trim();
  if (/^https?:\/\/[^\s]+$/i.test(trimmed) || /^\/(?!\/)[^\s]*$/.test(trimmed)) {
    return trimmed;
  }
  return undefined;
}

/** Narrow `jsonData.runbookUrls` (untrusted JSON) to code → URL. */
export function runbookUrlsFromJsonData(jsonData: unknown): Record<string, string> {
  if (typeof jsonData !== 'object' || jsonData === null || !('runbookUrls' in jsonData)) {
    return {};
  }
  const raw: unknown = jsonData.runbookUrls;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {};
  }
  const out: Record<string, string> = {};
  for (const [code, url] of Object.entries(raw)) {
    const safe = safeRunbookUrl(url);
    if (safe) {
      out[code.toUpperCase()] = safe;
    }
  }
  return out;
}
