/**
 * The one way every probe talks to a datasource: bounded concurrency, a per-request timeout that holds
 * even when a transport ignores its AbortSignal, and classification of every failure into the verdict
 * taxonomy. Probes receive either a narrowed value or a Failure; they never see raw HTTP.
 */
import { DatasourceRef, Transport, TransportError, TransportResponse } from './model';
import { ErrorCause } from './verdicts';
import { Limiter } from './limiter';

/** A request that did not produce a usable answer, already classified. */
export interface Failure {
  verdict: 'unreachable' | 'denied' | 'error';
  cause?: ErrorCause;
  /** HTTP status, or null below HTTP (refused, timeout). */
  status: number | null;
  /** The native API path that failed, e.g. `loki/api/v1/labels`. */
  path: string;
  message: string;
}

export type Outcome<T> =
  { ok: true; value: T; status: number; latencyMs: number } | { ok: false; failure: Failure; latencyMs: number };

export interface RequestContext {
  transport: Transport;
  limiter: Limiter;
  timeoutMs: number;
  /** The run's cancellation signal: aborting it rejects pending requests with an AbortError. */
  signal?: AbortSignal;
  /** Counts requests actually sent (tests and the bench read it). */
  stats: { requests: number };
}

export interface ProbeRequest {
  datasource: DatasourceRef;
  path: string;
  params?: Record<string, string | string[]>;
}

/** Narrow untrusted JSON to T, or return undefined when the shape is wrong. */
export type Narrow<T> = (body: unknown) => T | undefined;

export function abortError(): Error {
  const e = new Error('The check was cancelled');
  e.name = 'AbortError';
  return e;
}

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/** Send one request under the limiter and timeout. Rejects only when the run itself is cancelled. */
export async function send(
  ctx: RequestContext,
  req: ProbeRequest
): Promise<{ response: TransportResponse; latencyMs: number } | { error: Failure; latencyMs: number }> {
  if (ctx.signal?.aborted) {
    throw abortError();
  }
  return ctx.limiter.run(async () => {
    if (ctx.signal?.aborted) {
      throw abortError();
    }
    ctx.stats.requests++;
    const started = Date.now();
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onCancel: (() => void) | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new TransportError('timeout', `no answer within ${formatMs(ctx.timeoutMs)}`));
      }, ctx.timeoutMs);
    });
    const cancelled = new Promise<never>((_, reject) => {
      onCancel = () => {
        controller.abort();
        reject(abortError());
      };
      ctx.signal?.addEventListener('abort', onCancel, { once: true });
    });
    try {
      const response = await Promise.race([
        ctx.transport.request({
          datasource: req.datasource,
          path: req.path,
          params: req.params,
          method: 'GET',
          signal: controller.signal,
        }),
        timedOut,
        cancelled,
      ]);
      return { response, latencyMs: Date.now() - started };
    } catch (e) {
      if (isAbortError(e) && ctx.signal?.aborted) {
        throw e;
      }
      return { error: transportFailure(req.path, e, ctx.timeoutMs), latencyMs: Date.now() - started };
    } finally {
      clearTimeout(timer);
      if (onCancel) {
        ctx.signal?.removeEventListener('abort', onCancel);
      }
    }
  });
}

/** Send and classify; `narrow` validates the success body. */
export async function requestJson<T>(ctx: RequestContext, req: ProbeRequest, narrow: Narrow<T>): Promise<Outcome<T>> {
  const sent = await send(ctx, req);
  if ('error' in sent) {
    return { ok: false, failure: sent.error, latencyMs: sent.latencyMs };
  }
  const classified = classifyResponse(req.path, sent.response, narrow);
  return classified.ok
    ? { ok: true, value: classified.value, status: sent.response.status, latencyMs: sent.latencyMs }
    : { ok: false, failure: classified.failure, latencyMs: sent.latencyMs };
}

function transportFailure(path: string, e: unknown, timeoutMs: number): Failure {
  if (e instanceof TransportError) {
    const what = e.kind === 'timeout' ? `no answer within ${formatMs(timeoutMs)}` : e.message;
    return { verdict: 'unreachable', status: null, path, message: `GET ${path}: ${what}` };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { verdict: 'error', status: null, path, message: `GET ${path}: request failed: ${redact(message)}` };
}

/** Classify an HTTP answer. Pure; exported for tests and for adapters that want the same policy. */
export function classifyResponse<T>(
  path: string,
  response: TransportResponse,
  narrow: Narrow<T>
): { ok: true; value: T } | { ok: false; failure: Failure } {
  const { status, body } = response;
  // The body as text, for error messages only: built on first use, never for a good 2xx answer
  // (re-serialising every large search result cost more than reading it).
  let textMemo: string | undefined;
  const textOf = () => (textMemo ??= bodyText(body));
  const where = `GET ${path} → HTTP ${status}`;
  const fail = (verdict: Failure['verdict'], message: string, cause?: ErrorCause) => ({
    ok: false as const,
    failure: { verdict, cause, status, path, message },
  });

  if (status === 0 || (status >= 300 && status < 400)) {
    return fail('denied', `${where}: redirected instead of answering (a login page or auth proxy?)`);
  }
  if ((status === 401 || status === 403) && /no org id/i.test(textOf())) {
    return fail(
      'denied',
      `${where}: the backend is multi-tenant and needs a tenant (X-Scope-OrgID)${detail(textOf())}`
    );
  }
  if (status === 401 || status === 403) {
    return fail('denied', `${where}: credentials refused${detail(textOf())}`);
  }
  if (status === 400 && /Authentication to data source failed/i.test(textOf())) {
    return fail('denied', `${where}: Grafana could not authenticate to the datasource (the backend answered 401)`);
  }
  if (status === 429) {
    return fail('error', `${where}: rate limited${detail(textOf())}`, 'rate_limited');
  }
  if (status === 404) {
    return fail('error', `${where}: endpoint not found${detail(textOf())}`, 'endpoint_missing');
  }
  if (status === 502 || status === 503 || status === 504) {
    const why =
      textOf().trim() === '' ? ' (empty body: the proxy could not get an answer from the backend)' : detail(textOf());
    return fail('unreachable', `${where}: backend unavailable${why}`);
  }
  if (status < 200 || status >= 300) {
    const cause: ErrorCause | undefined = status >= 400 && status < 500 ? 'query' : undefined;
    return fail(
      'error',
      `${where}: ${errorText(body) ?? 'request failed'}${detail(typeof body === 'string' ? textOf() : '')}`,
      cause
    );
  }
  // 2xx from here on.
  if (typeof body === 'string') {
    const kind = looksLikeHtml(body) ? 'an HTML page' : body.trim() === '' ? 'empty' : 'not valid JSON (truncated?)';
    return fail('error', `${where}: body is ${kind}${detail(body)}`, 'malformed');
  }
  if (isRecord(body) && body.status === 'error') {
    return fail('error', `${where}: ${errorText(body) ?? 'status "error"'}`, 'query');
  }
  const value = narrow(body);
  if (value === undefined) {
    return fail('error', `${where}: unexpected response shape${detail(textOf())}`, 'malformed');
  }
  return { ok: true, value };
}

function errorText(body: unknown): string | undefined {
  if (isRecord(body)) {
    const error =
      typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : undefined;
    if (error !== undefined) {
      return typeof body.errorType === 'string' ? `${body.errorType}: ${redact(error)}` : redact(error);
    }
  }
  return undefined;
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') {
    return body;
  }
  if (body === undefined || body === null) {
    return '';
  }
  try {
    return JSON.stringify(body);
  } catch {
    return '';
  }
}

/** `: "<first 200 chars>"`, whitespace collapsed and anything token-like redacted; '' when empty. */
function detail(text: string): string {
  const t = snippet(text);
  return t ? `: "${t}"` : '';
}

export function snippet(text: string, max = 200): string {
  const collapsed = redact(text).replace(/\s+/g, ' ').trim();
  return collapsed.length > max ? `${collapsed.slice(0, max)}…` : collapsed;
}

/** Remove bearer tokens, Grafana service-account tokens and URL credentials from text shown to people. */
export function redact(text: string): string {
  return text
    .replace(/Bearer\s+[^\s"',]+/gi, 'Bearer [redacted]')
    .replace(/glsa_[A-Za-z0-9_]+/g, '[redacted]')
    .replace(/(\w+:\/\/)[^/\s@]+@/g, '$1[redacted]@');
}

function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html|<head|<body|<\?xml|<)/i.test(text);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
