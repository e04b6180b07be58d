/** Shared pieces of the fetch-based transports. Pure TS on the global fetch API. */
import { TransportError, TransportRequest, TransportResponse } from '../model';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export function queryString(params: TransportRequest['params']): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      search.append(key, v);
    }
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

/** `<base>/<path>` with exactly one slash between them; the base may carry a path prefix (Mimir `/prometheus`). */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** URL for messages: no credentials, no query string (it may be long and is in the report elsewhere). */
export function displayUrl(url: string): string {
  return url.replace(/(\w+:\/\/)[^/@]*@/, '$1').replace(/\?.*$/, '');
}

/** Perform the fetch; HTTP errors resolve, failures below HTTP reject with a TransportError. */
export async function fetchAndRead(
  fetchImpl: FetchLike,
  url: string,
  req: TransportRequest,
  headers: Record<string, string>
): Promise<TransportResponse> {
  const method = req.method ?? 'GET';
  const qs = queryString(req.params);
  const { url: bare, authorization } = splitCredentials(url);
  const allHeaders: Record<string, string> = { Accept: 'application/json', ...headers };
  if (authorization && !allHeaders.Authorization) {
    allHeaders.Authorization = authorization;
  }
  const init: RequestInit = { method, headers: allHeaders, signal: req.signal, redirect: 'manual' };
  let target = bare;
  if (method === 'POST') {
    init.body = qs.slice(1);
    init.headers = { ...init.headers, 'Content-Type': 'application/x-www-form-urlencoded' };
  } else {
    target = bare + qs;
  }
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(target, init);
    text = await response.text();
  } catch (e) {
    throw toTransportError(e, req.signal, displayUrl(url));
  }
  const contentType = response.headers.get('content-type')?.toLowerCase() ?? undefined;
  return { status: response.status, body: parseBody(text), contentType };
}

/** fetch refuses URLs with `user:pass@`; send them as basic auth instead. */
function splitCredentials(url: string): { url: string; authorization?: string } {
  const m = /^(\w+:\/\/)([^/@]*)@(.*)$/.exec(url);
  if (!m) {
    return { url };
  }
  const [user, pass = ''] = m[2].split(':').map((p) => decodeURIComponent(p));
  return { url: m[1] + m[3], authorization: `Basic ${btoa(`${user}:${pass}`)}` };
}

/** JSON when it parses, otherwise the raw text (HTML pages, truncated JSON, plain-text errors). */
export function parseBody(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch {
      return text;
    }
  }
  return text;
}

function toTransportError(e: unknown, signal: AbortSignal, where: string): TransportError {
  if (e instanceof TransportError) {
    return e;
  }
  const name = e instanceof Error ? e.name : '';
  if (signal.aborted || name === 'AbortError' || name === 'TimeoutError') {
    const reason: unknown = signal.reason;
    const timedOut = name === 'TimeoutError' || (reason instanceof Error && reason.name === 'TimeoutError');
    return new TransportError(
      timedOut ? 'timeout' : 'aborted',
      `${where}: request ${timedOut ? 'timed out' : 'aborted'}`
    );
  }
  return new TransportError('network', `${where}: ${displayUrlText(describeNetworkError(e))}`);
}

function displayUrlText(text: string): string {
  return text.replace(/(\w+:\/\/)[^/\s@]*@/g, '$1');
}

/** Node's fetch hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`; errors may come from another realm. */
function describeNetworkError(e: unknown): string {
  const message = (v: unknown): string | undefined =>
    typeof v === 'object' && v !== null && 'message' in v && typeof v.message === 'string' ? v.message : undefined;
  const cause: unknown = typeof e === 'object' && e !== null && 'cause' in e ? e.cause : undefined;
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
      ? cause.code
      : undefined;
  const causeMessage = message(cause);
  if (code) {
    return causeMessage && !causeMessage.includes(code) ? `${code} (${causeMessage})` : (causeMessage ?? code);
  }
  return causeMessage ?? message(e) ?? String(e);
}
