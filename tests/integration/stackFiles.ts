/**
 * Readers for the dev stack's files (docker-compose.yaml, Alloy config, provisioning), shared by the
 * stack tests. Small on purpose: enough of Compose interpolation and Alloy syntax to check cross-references.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

export const ROOT = path.resolve(__dirname, '../..');
export const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');
export const readYaml = (rel: string): unknown => parseYaml(read(rel));
export const readJson = (rel: string): unknown => JSON.parse(read(rel));
export const listFiles = (rel: string) => readdirSync(path.join(ROOT, rel));

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function record(value: unknown, what: string): Record<string, unknown> {
  if (!isRecord(value)) {
    throw new Error(`${what} is not a mapping`);
  }
  return value;
}

export function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new Error(`${what} is not a list`);
  }
  return value;
}

/** `KEY=value` lines of a Compose env file (comments and blank lines ignored). */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) {
      env[m[1]] = m[2].trim();
    }
  }
  return env;
}

/** Compose interpolation: `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$VAR`, `$$`. */
export function interpolate(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (all, name, op, def, bare) => {
        if (all === '$$') {
          return '$';
        }
        const key = name ?? bare;
        const v = env[key];
        if (op === ':-') {
          return v === undefined || v === '' ? def : v;
        }
        if (op === '-') {
          return v === undefined ? def : v;
        }
        return v ?? '';
      }
    );
  }
  if (Array.isArray(value)) {
    return value.map((v) => interpolate(v, env));
  }
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)]));
  }
  return value;
}

/** `{host, port}` of `http://host:port/...`, `host:port`, or a Compose port mapping's container side. */
export function hostPort(address: string): { host: string; port: number } {
  const url = /^[a-z]+:\/\//i.test(address) ? new URL(address) : new URL(`tcp://${address}`);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { host: url.hostname, port };
}

// ---------------------------------------------------------------------------------------------
// Alloy configuration syntax: blocks `type "label" { ... }`, attributes `name = value`.
// ---------------------------------------------------------------------------------------------

export interface AlloyComponent {
  /** e.g. `otelcol.receiver.otlp` */
  type: string;
  label: string;
  /** Raw body text, comments removed. */
  body: string;
}

/** Removes `//` and `/* *\/` comments outside string literals. */
export function stripAlloyComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') {
        out += text[++i] ?? '';
      } else if (c === '"') {
        inString = false;
      }
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') {
        i++;
      }
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else {
      out += c;
    }
  }
  return out;
}

/** Top-level labelled components; unlabelled top-level blocks (`logging { }`) are skipped. */
export function parseAlloyComponents(text: string): AlloyComponent[] {
  const src = stripAlloyComments(text);
  const components: AlloyComponent[] = [];
  const header = /([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)\s*(?:"([^"]*)")?\s*\{/gy;
  let i = 0;
  while (i < src.length) {
    if (/\s/.test(src[i])) {
      i++;
      continue;
    }
    header.lastIndex = i;
    const m = header.exec(src);
    if (!m) {
      throw new Error(`unexpected top-level text in Alloy config near: ${src.slice(i, i + 40)}`);
    }
    const start = header.lastIndex;
    let depth = 1;
    let j = start;
    let inString = false;
    for (; j < src.length && depth > 0; j++) {
      const c = src[j];
      if (inString) {
        if (c === '\\') {
          j++;
        } else if (c === '"') {
          inString = false;
        }
      } else if (c === '"') {
        inString = true;
      } else if (c === '{') {
        depth++;
      } else if (c === '}') {
        depth--;
      }
    }
    if (depth !== 0) {
      throw new Error(`unbalanced braces in Alloy block ${m[1]}`);
    }
    if (m[2] !== undefined) {
      components.push({ type: m[1], label: m[2], body: src.slice(start, j - 1) });
    }
    i = j;
  }
  return components;
}

/** String values of `name = "..."` attributes anywhere in a body. */
export function alloyStrings(body: string, name: string): string[] {
  const re = new RegExp(`(?:^|[\\s{,])"?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s*=\\s*"([^"]*)"`, 'g');
  return [...body.matchAll(re)].map((m) => m[1]);
}

/** Components a body sends to: `<type>.<label>.input` / `.receiver` references. */
export function alloyReferences(body: string): string[] {
  return [...body.matchAll(/\b((?:[a-z_][a-z0-9_]*\.)+[a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\.(input|receiver)\b/g)].map(
    (m) => `${m[1]}.${m[2]}`
  );
}
