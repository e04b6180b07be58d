/**
 * Query-language string escaping. Import-free on purpose: every query the engine builds goes through
 * here, so service names taken from discovered label values can never break out of a string or regex.
 */

/** Body of a double-quoted PromQL/LogQL string (Go string-literal rules): `\`, `"`, control characters. */
export function escapeQuotedBody(value: string): string {
  let out = '';
  for (const ch of value) {
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default: {
        const code = ch.codePointAt(0) ?? 0;
        out += code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
      }
    }
  }
  return out;
}

/** A PromQL string literal, quotes included: `a"b` → `"a\"b"`. */
export function promqlString(value: string): string {
  return `"${escapeQuotedBody(value)}"`;
}

/** LogQL strings follow the same Go string-literal rules as PromQL. */
export const logqlString = promqlString;

/**
 * A TraceQL string literal, quotes included. TraceQL strings are double-quoted with backslash escapes
 * for `\` and `"`; control characters are written as escapes too.
 */
export const traceqlString = promqlString;

const RE2_META = /[\\.+*?()|[\]{}^$]/g;

/** Escape RE2 metacharacters so the value matches itself literally inside `=~`. */
export function regexEscape(value: string): string {
  return value.replace(RE2_META, (m) => `\\${m}`);
}

/**
 * A regex string literal matching exactly one of `values` (PromQL/LogQL `=~`, which anchor the whole
 * value): regex-escape each value, join with `|`, then string-escape the result.
 */
export function regexAlternationString(values: readonly string[]): string {
  return promqlString(values.map(regexEscape).join('|'));
}

/** A label name as a PromQL/LogQL matcher key; names that are not plain identifiers use the quoted form. */
export function isPlainLabelName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}
