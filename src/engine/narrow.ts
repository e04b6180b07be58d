/**
 * Narrowing of untrusted response bodies. Each function returns the typed value or undefined when
 * the shape is wrong (which the classifier reports as `error` malformed). Empty answers that omit
 * keys (Loki labels without `data`, Tempo `{}`) narrow to empty values, not to errors.
 */
import { isRecord } from './http';

export interface Sample {
  labels: Record<string, string>;
  /** Seconds since epoch of the newest point carrying a value, or of the instant sample. */
  time: number;
  value: number;
}

function stringRecord(v: unknown): Record<string, string> | undefined {
  if (!isRecord(v)) {
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') {
      return undefined;
    }
    out[k] = x;
  }
  return out;
}

function envelopeData(body: unknown): { present: boolean; data: unknown } | undefined {
  if (!isRecord(body) || (body.status !== undefined && body.status !== 'success')) {
    return undefined;
  }
  return { present: 'data' in body, data: body.data };
}

/** `{status:"success", data:[strings]}`; a missing `data` is [] (Loki's empty answer). */
export function narrowStringList(body: unknown): string[] | undefined {
  const env = envelopeData(body);
  if (!env) {
    return undefined;
  }
  if (!env.present || env.data === null) {
    return [];
  }
  return Array.isArray(env.data) && env.data.every((x) => typeof x === 'string') ? (env.data as string[]) : undefined;
}

function point(v: unknown): { time: number; value: number } | undefined {
  if (!Array.isArray(v) || v.length < 2) {
    return undefined;
  }
  const time = typeof v[0] === 'number' ? v[0] : typeof v[0] === 'string' ? Number(v[0]) : NaN;
  const value = typeof v[1] === 'string' ? Number(v[1]) : typeof v[1] === 'number' ? v[1] : NaN;
  return Number.isFinite(time) ? { time, value } : undefined;
}

/**
 * Prometheus/Loki metric answers: `vector` (instant) or `matrix` (range). For a matrix the newest
 * point with a non-zero value is kept. Series without any such point are dropped.
 */
export function narrowSamples(body: unknown): Sample[] | undefined {
  const env = envelopeData(body);
  if (!env || !isRecord(env.data) || !Array.isArray(env.data.result)) {
    return undefined;
  }
  const type = env.data.resultType;
  const out: Sample[] = [];
  for (const row of env.data.result) {
    if (!isRecord(row)) {
      return undefined;
    }
    const labels = stringRecord(row.metric ?? {});
    if (!labels) {
      return undefined;
    }
    if (type === 'vector') {
      const p = point(row.value);
      if (!p) {
        return undefined;
      }
      if (Number.isFinite(p.value)) {
        out.push({ labels, ...p });
      }
    } else if (type === 'matrix') {
      if (!Array.isArray(row.values)) {
        return undefined;
      }
      let best: { time: number; value: number } | undefined;
      for (const v of row.values) {
        const p = point(v);
        if (!p) {
          return undefined;
        }
        if (Number.isFinite(p.value) && p.value !== 0 && (!best || p.time > best.time)) {
          best = p;
        }
      }
      if (best) {
        out.push({ labels, ...best });
      }
    } else {
      return undefined;
    }
  }
  return out;
}

/** Loki log answer: newest entry timestamp (ns, exact via BigInt) per stream set. */
export function narrowNewestLogNs(body: unknown): { newestNs: bigint | null } | undefined {
  const env = envelopeData(body);
  if (!env || !isRecord(env.data) || !Array.isArray(env.data.result)) {
    return undefined;
  }
  if (env.data.resultType !== undefined && env.data.resultType !== 'streams') {
    return undefined;
  }
  let newest: bigint | null = null;
  for (const stream of env.data.result) {
    if (!isRecord(stream) || !Array.isArray(stream.values)) {
      return undefined;
    }
    for (const v of stream.values) {
      if (!Array.isArray(v) || typeof v[0] !== 'string' || !/^\d+$/.test(v[0])) {
        return undefined;
      }
      const ns = BigInt(v[0]);
      if (newest === null || ns > newest) {
        newest = ns;
      }
    }
  }
  return { newestNs: newest };
}

/** buildinfo: enveloped (Prometheus/Mimir) or bare (Loki/Tempo). */
export function narrowVersion(body: unknown): { version: string | null } | undefined {
  if (!isRecord(body)) {
    return undefined;
  }
  const inner = isRecord(body.data) ? body.data : body;
  return { version: typeof inner.version === 'string' && inner.version !== '' ? inner.version : null };
}

/**
 * Tempo tag values. v1 answers plain strings, v2 `{type, value}` objects whose `value` may be absent
 * (empty string). The element type is detected, never assumed from the endpoint. `{}` means none.
 */
export function narrowTagValues(body: unknown): string[] | undefined {
  if (!isRecord(body)) {
    return undefined;
  }
  if (body.tagValues === undefined || body.tagValues === null) {
    return [];
  }
  if (!Array.isArray(body.tagValues)) {
    return undefined;
  }
  const out: string[] = [];
  for (const v of body.tagValues) {
    if (typeof v === 'string') {
      out.push(v);
    } else if (isRecord(v)) {
      if (v.value === undefined) {
        out.push('');
      } else if (typeof v.value === 'string') {
        out.push(v.value);
      } else {
        return undefined;
      }
    } else {
      return undefined;
    }
  }
  return out;
}

export interface TraceHit {
  startNs: bigint;
  /** Services this trace shows: the root service and any `service.name` span attributes returned. */
  services: string[];
}

/** Tempo search answer; an absent `traces` key means none. */
export function narrowTraces(body: unknown): TraceHit[] | undefined {
  if (!isRecord(body)) {
    return undefined;
  }
  if (body.traces === undefined || body.traces === null) {
    return [];
  }
  if (!Array.isArray(body.traces)) {
    return undefined;
  }
  const out: TraceHit[] = [];
  for (const t of body.traces) {
    if (!isRecord(t)) {
      return undefined;
    }
    const start = t.startTimeUnixNano;
    const startText = typeof start === 'number' ? String(Math.trunc(start)) : start;
    if (typeof startText !== 'string' || !/^\d+$/.test(startText)) {
      return undefined;
    }
    const services = new Set<string>();
    if (typeof t.rootServiceName === 'string' && t.rootServiceName !== '<root span not yet received>') {
      services.add(t.rootServiceName);
    }
    const sets = Array.isArray(t.spanSets) ? t.spanSets : isRecord(t.spanSet) ? [t.spanSet] : [];
    for (const set of sets) {
      if (isRecord(set) && Array.isArray(set.spans)) {
        for (const span of set.spans) {
          if (isRecord(span) && Array.isArray(span.attributes)) {
            for (const a of span.attributes) {
              if (
                isRecord(a) &&
                a.key === 'service.name' &&
                isRecord(a.value) &&
                typeof a.value.stringValue === 'string'
              ) {
                services.add(a.value.stringValue);
              }
            }
          }
        }
      }
    }
    out.push({ startNs: BigInt(startText), services: [...services] });
  }
  return out;
}
