/**
 * EMULATOR support — not a real query engine. A small parser + evaluator for the SUBSET of PromQL and
 * LogQL that Telemetry Truth's engine sends (selectors with =, !=, =~, !~; LogQL line filters
 * |= != |~ !~; range selectors and PromQL subqueries; sum/max/min/count/avg/group [by|without];
 * timestamp, *_over_time, count_over_time/rate/bytes_over_time/bytes_rate (LogQL), time(), vector();
 * scalar/vector arithmetic and comparisons). Semantics follow prometheus docs/querying/basics.md
 * ("Staleness": 5 m lookback for instant selectors; range `(t-r, t]`; subquery steps aligned to
 * multiples of the step) and Loki docs/sources/query/metric_queries.md. Anything outside the subset
 * is rejected with a parse error that says "not supported by the emulator" so nobody mistakes a gap
 * of the emulator for backend behaviour.
 */

export type Lang = 'promql' | 'logql';
export type Labels = Record<string, string>;
export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
  re?: RegExp;
}
export interface LineFilter {
  op: '|=' | '!=' | '|~' | '!~';
  value: string;
  re?: RegExp;
}

export type Node =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'selector'; matchers: Matcher[]; filters: LineFilter[]; rangeMs?: number; pos: number }
  | { kind: 'subquery'; expr: Node; rangeMs: number; stepMs?: number }
  | { kind: 'call'; fn: string; args: Node[] }
  | { kind: 'agg'; op: string; without: boolean; grouping: string[] | null; param?: Node; expr: Node }
  | { kind: 'binary'; op: string; lhs: Node; rhs: Node; bool: boolean };

export class ExprParseError extends Error {
  constructor(
    message: string,
    readonly col: number
  ) {
    super(message);
  }
}

interface Token {
  t: 'ident' | 'number' | 'string' | 'op' | 'duration' | 'eof';
  v: string;
  pos: number;
}

// ------------------------------------------------------------------------------------------------
// Lexer
// ------------------------------------------------------------------------------------------------

const OPS = ['|=', '|~', '!=', '!~', '=~', '==', '>=', '<=', '{', '}', '(', ')', '[', ']', ',', '=', '+', '-', '*', '/', '>', '<', '|', ':'];

function unescapeGo(body: string, pos: number): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    switch (n) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
      case '"':
      case "'":
        out += n;
        break;
      case 'x':
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
        break;
      case 'u':
        out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      case 'U':
        out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16));
        i += 8;
        break;
      default:
        if (n !== undefined && /[0-7]/.test(n)) {
          out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
          i += 2;
          break;
        }
        throw new ExprParseError(`invalid escape sequence \\${n ?? ''} in string`, pos);
    }
  }
  return out;
}

function lex(src: string): Token[] {
  const toks: Token[] = [];
  let i = 0;
  let bracketDepth = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i + 1;
    if (bracketDepth > 0 && /[0-9]/.test(c)) {
      const m = /^[0-9]+(?:ms|s|m|h|d|w|y)(?:[0-9]+(?:ms|s|m|h|d|w|y))*/.exec(src.slice(i));
      if (m) {
        toks.push({ t: 'duration', v: m[0], pos });
        i += m[0].length;
        continue;
      }
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) {
        j += src[j] === '\\' ? 2 : 1;
      }
      if (j >= src.length) {
        throw new ExprParseError('unterminated quoted string', pos);
      }
      toks.push({ t: 'string', v: unescapeGo(src.slice(i + 1, j), pos), pos });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) {
        throw new ExprParseError('unterminated raw string', pos);
      }
      toks.push({ t: 'string', v: src.slice(i + 1, j), pos });
      i = j + 1;
      continue;
    }
    const num = /^(?:0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)/.exec(src.slice(i));
    if (num && num[0].length > 0 && /[0-9.]/.test(c)) {
      toks.push({ t: 'number', v: num[0], pos });
      i += num[0].length;
      continue;
    }
    if (bracketDepth > 0 && c === ':') {
      toks.push({ t: 'op', v: ':', pos });
      i++;
      continue;
    }
    const id = /^[a-zA-Z_:][a-zA-Z0-9_:.]*/.exec(src.slice(i));
    if (id) {
      // Dots are only legal in LogQL label names inside braces; callers validate.
      toks.push({ t: 'ident', v: id[0], pos });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      if (op === '[') {
        bracketDepth++;
      } else if (op === ']') {
        bracketDepth--;
      }
      toks.push({ t: 'op', v: op, pos });
      i += op.length;
      continue;
    }
    throw new ExprParseError(`unexpected character: '${c}'`, pos);
  }
  toks.push({ t: 'eof', v: '', pos: src.length + 1 });
  return toks;
}

// ------------------------------------------------------------------------------------------------
// Parser
// ------------------------------------------------------------------------------------------------

export const AGG_OPS = ['sum', 'max', 'min', 'count', 'avg', 'group'];
const PROM_FUNCS = ['timestamp', 'time', 'vector', 'label_replace', 'max_over_time', 'min_over_time', 'last_over_time', 'count_over_time', 'sum_over_time', 'avg_over_time', 'present_over_time'];
const LOG_FUNCS = ['count_over_time', 'rate', 'bytes_over_time', 'bytes_rate', 'vector'];

/** Go RE2 regex (anchored like Prometheus/Loki matchers) → JS RegExp. Supports a leading (?i). */
export function goRegex(src: string, anchored = true): RegExp {
  let flags = 's';
  let body = src;
  const m = /^\(\?([imsU]+)\)/.exec(body);
  if (m) {
    if (m[1].includes('i')) {
      flags += 'i';
    }
    body = body.slice(m[0].length);
  }
  try {
    return new RegExp(anchored ? `^(?:${body})$` : body, flags);
  } catch (e) {
    throw new ExprParseError(`error parsing regexp: ${e instanceof Error ? e.message : String(e)}`, 0);
  }
}

const REGEX_META = '.^$*+?()[]{}|\\';

/**
 * The values an `=~` regex accepts when it is a plain alternation of literals (`a|b\\.c`, what the
 * engine sends for a batch of services), else null. Like Prometheus's FastRegexMatcher set matches:
 * an anchored alternation of literals is exactly "one of these strings".
 */
export function regexLiterals(src: string): string[] | null {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1];
      // Only escaped punctuation is a literal; \d, \w, \x41, \Q… are classes or codes.
      if (n === undefined || /[0-9A-Za-z]/.test(n)) {
        return null;
      }
      cur += n;
      i++;
    } else if (c === '|') {
      out.push(cur);
      cur = '';
    } else if (REGEX_META.includes(c)) {
      return null;
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}

/**
 * Values a matcher accepts when that is a finite set without the empty string (`=` and literal
 * `=~`): the series it selects all carry the label, so an index by label value finds them. Else null.
 */
export function matcherValues(m: Matcher): string[] | null {
  if (m.op === '=') {
    return m.value === '' ? null : [m.value];
  }
  if (m.op === '=~') {
    const vals = regexLiterals(m.value);
    return vals && !vals.includes('') ? vals : null;
  }
  return null;
}

/**
 * Series (or streams) indexed by label value, in insertion order, so a selector visits only the
 * candidates of its most selective `=` / literal `=~` matcher (a TSDB's postings) instead of every
 * series. `select` is memoised per matchers array until the next add/clear: evaluating a range or
 * subquery selects the same matchers at every step.
 */
export class LabelIndex<T extends { labels: Labels }> {
  private items: T[] = [];
  private seq = new Map<T, number>();
  private postings = new Map<string, Map<string, T[]>>();
  private version = 0;
  private memo = new WeakMap<Matcher[], { version: number; items: T[] }>();

  add(item: T): void {
    this.seq.set(item, this.items.length);
    this.items.push(item);
    for (const [name, value] of Object.entries(item.labels)) {
      let byValue = this.postings.get(name);
      if (!byValue) {
        byValue = new Map();
        this.postings.set(name, byValue);
      }
      const list = byValue.get(value);
      if (list) {
        list.push(item);
      } else {
        byValue.set(value, [item]);
      }
    }
    this.version++;
  }

  clear(): void {
    this.items = [];
    this.seq.clear();
    this.postings.clear();
    this.version++;
  }

  all(): readonly T[] {
    return this.items;
  }

  /** Items matching every matcher (null: all items), in insertion order. */
  select(matchers: Matcher[] | null): T[] {
    if (!matchers || matchers.length === 0) {
      return this.items;
    }
    const hit = this.memo.get(matchers);
    if (hit && hit.version === this.version) {
      return hit.items;
    }
    let candidates: T[] = this.items;
    for (const m of matchers) {
      const values = matcherValues(m);
      if (!values) {
        continue;
      }
      const byValue = this.postings.get(m.name);
      const lists = values.map((v) => byValue?.get(v) ?? []);
      const size = lists.reduce((a, l) => a + l.length, 0);
      if (size < candidates.length) {
        candidates = lists.length === 1 ? lists[0] : this.merge(lists);
      }
    }
    const items = candidates.filter((it) => matchesAll(it.labels, matchers));
    this.memo.set(matchers, { version: this.version, items });
    return items;
  }

  private merge(lists: T[][]): T[] {
    const seen = new Set<T>();
    const out: T[] = [];
    for (const l of lists) {
      for (const it of l) {
        if (!seen.has(it)) {
          seen.add(it);
          out.push(it);
        }
      }
    }
    return out.sort((a, b) => this.seq.get(a)! - this.seq.get(b)!);
  }
}

const matchCache = new WeakMap<Matcher[], WeakMap<Labels, boolean>>();

/** matchesAll, memoised per (matchers array, labels object): range queries re-test the same pairs at every step. */
export function matchesCached(labels: Labels, matchers: Matcher[]): boolean {
  let m = matchCache.get(matchers);
  if (!m) {
    m = new WeakMap();
    matchCache.set(matchers, m);
  }
  let r = m.get(labels);
  if (r === undefined) {
    r = matchesAll(labels, matchers);
    m.set(labels, r);
  }
  return r;
}

export function matchesAll(labels: Labels, matchers: Matcher[]): boolean {
  for (const m of matchers) {
    const v = labels[m.name] ?? '';
    switch (m.op) {
      case '=':
        if (v !== m.value) {
          return false;
        }
        break;
      case '!=':
        if (v === m.value) {
          return false;
        }
        break;
      case '=~':
        if (!m.re!.test(v)) {
          return false;
        }
        break;
      case '!~':
        if (m.re!.test(v)) {
          return false;
        }
        break;
    }
  }
  return true;
}

export function lineMatches(line: string, filters: LineFilter[]): boolean {
  for (const f of filters) {
    switch (f.op) {
      case '|=':
        if (!line.includes(f.value)) {
          return false;
        }
        break;
      case '!=':
        if (line.includes(f.value)) {
          return false;
        }
        break;
      case '|~':
        if (!f.re!.test(line)) {
          return false;
        }
        break;
      case '!~':
        if (f.re!.test(line)) {
          return false;
        }
        break;
    }
  }
  return true;
}

/** Does this matcher match the empty string? (Loki's and PromQL's "empty-compatible" rule.) */
function matchesEmpty(m: Matcher): boolean {
  return matchesAll({}, [m]);
}

class Parser {
  private i = 0;
  constructor(
    private toks: Token[],
    private lang: Lang
  ) {}
  private peek(o = 0): Token {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)];
  }
  private next(): Token {
    return this.toks[this.i++];
  }
  private fail(tok: Token, what: string): never {
    const found = tok.t === 'eof' ? 'end of input' : `"${tok.v}"`;
    throw new ExprParseError(`syntax error: unexpected ${found}${what ? `, ${what}` : ''}`, tok.pos);
  }
  private expectOp(v: string): Token {
    const t = this.next();
    if (t.t !== 'op' || t.v !== v) {
      this.fail(t, `expected "${v}"`);
    }
    return t;
  }
  private isOp(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t.t === 'op' && t.v === v;
  }

  parseTop(): Node {
    const n = this.parseExpr(0);
    if (this.peek().t !== 'eof') {
      this.fail(this.peek(), '');
    }
    return n;
  }

  private static PREC: Record<string, number> = { '==': 1, '!=': 1, '>': 1, '<': 1, '>=': 1, '<=': 1, '+': 2, '-': 2, '*': 3, '/': 3 };

  private parseExpr(minPrec: number): Node {
    let lhs = this.parseUnary();
    for (;;) {
      const t = this.peek();
      const prec = t.t === 'op' ? Parser.PREC[t.v] : undefined;
      if (prec === undefined || prec < minPrec) {
        break;
      }
      this.next();
      let bool = false;
      if (this.peek().t === 'ident' && this.peek().v === 'bool') {
        this.next();
        bool = true;
      }
      const rhs = this.parseExpr(prec + 1);
      lhs = { kind: 'binary', op: t.v, lhs, rhs, bool };
    }
    return lhs;
  }

  private parseUnary(): Node {
    if (this.isOp('-')) {
      this.next();
      const n = this.parseUnary();
      return { kind: 'binary', op: '*', lhs: { kind: 'number', value: -1 }, rhs: n, bool: false };
    }
    let n = this.parsePrimary();
    // PromQL subquery / range on an expression.
    while (this.isOp('[')) {
      const startTok = this.next();
      const rangeTok = this.next();
      if (rangeTok.t !== 'duration') {
        this.fail(rangeTok, 'expected duration');
      }
      let stepMs: number | undefined;
      let isSub = false;
      if (this.isOp(':')) {
        this.next();
        isSub = true;
        if (this.peek().t === 'duration') {
          stepMs = durMs(this.next().v);
        }
      }
      this.expectOp(']');
      if (!isSub) {
        if (n.kind === 'selector' && n.rangeMs === undefined) {
          n = { ...n, rangeMs: durMs(rangeTok.v) };
          continue;
        }
        throw new ExprParseError('ranges only allowed for vector selectors', startTok.pos);
      }
      if (this.lang === 'logql') {
        throw new ExprParseError('subqueries are not supported by LogQL', startTok.pos);
      }
      n = { kind: 'subquery', expr: n, rangeMs: durMs(rangeTok.v), stepMs };
    }
    return n;
  }

  private parseGrouping(): { without: boolean; labels: string[] } | null {
    const t = this.peek();
    if (t.t === 'ident' && (t.v === 'by' || t.v === 'without')) {
      this.next();
      this.expectOp('(');
      const labels: string[] = [];
      while (!this.isOp(')')) {
        const l = this.next();
        if (l.t !== 'ident') {
          this.fail(l, 'expected label name');
        }
        labels.push(l.v);
        if (this.isOp(',')) {
          this.next();
        } else if (!this.isOp(')')) {
          this.fail(this.peek(), 'expected "," or ")"');
        }
      }
      this.next();
      return { without: t.v === 'without', labels };
    }
    return null;
  }

  private parsePrimary(): Node {
    const t = this.peek();
    if (t.t === 'number') {
      this.next();
      return { kind: 'number', value: Number(t.v) };
    }
    if (t.t === 'string') {
      this.next();
      return { kind: 'string', value: t.v };
    }
    if (t.t === 'op' && t.v === '(') {
      this.next();
      const n = this.parseExpr(0);
      this.expectOp(')');
      return n;
    }
    if (t.t === 'op' && t.v === '{') {
      return this.parseSelector(undefined);
    }
    if (t.t === 'ident') {
      if (AGG_OPS.includes(t.v) && (this.isOp('(', 1) || (this.peek(1).t === 'ident' && ['by', 'without'].includes(this.peek(1).v)))) {
        this.next();
        let g = this.parseGrouping();
        this.expectOp('(');
        const expr = this.parseExpr(0);
        this.expectOp(')');
        const g2 = this.parseGrouping();
        if (g2) {
          g = g2;
        }
        return { kind: 'agg', op: t.v, without: g?.without ?? false, grouping: g ? g.labels : null, expr };
      }
      if (this.isOp('(', 1)) {
        const fns = this.lang === 'promql' ? PROM_FUNCS : LOG_FUNCS;
        if (!fns.includes(t.v)) {
          throw new ExprParseError(`function "${t.v}" is not supported by the emulator`, t.pos);
        }
        this.next();
        this.next();
        const args: Node[] = [];
        while (!this.isOp(')')) {
          args.push(this.parseExpr(0));
          if (this.isOp(',')) {
            this.next();
          } else if (!this.isOp(')')) {
            this.fail(this.peek(), 'expected "," or ")"');
          }
        }
        this.next();
        return { kind: 'call', fn: t.v, args };
      }
      if (this.lang === 'promql') {
        this.next();
        if (this.isOp('{')) {
          return this.parseSelector(t.v, t.pos);
        }
        return { kind: 'selector', matchers: [{ name: '__name__', op: '=', value: t.v }], filters: [], pos: t.pos };
      }
    }
    this.fail(t, '');
  }

  private parseSelector(metricName: string | undefined, namePos?: number): Node {
    const open = this.expectOp('{');
    const matchers: Matcher[] = [];
    if (metricName !== undefined) {
      matchers.push({ name: '__name__', op: '=', value: metricName });
    }
    while (!this.isOp('}')) {
      const name = this.next();
      if (name.t !== 'ident' || (this.lang === 'promql' && name.v.includes('.'))) {
        this.fail(name, 'expected label name');
      }
      const op = this.next();
      if (op.t !== 'op' || !['=', '!=', '=~', '!~'].includes(op.v)) {
        this.fail(op, 'expected label matching operator');
      }
      const val = this.next();
      if (val.t !== 'string') {
        this.fail(val, 'expected string');
      }
      const m: Matcher = { name: name.v, op: op.v as MatchOp, value: val.v };
      if (m.op === '=~' || m.op === '!~') {
        try {
          m.re = goRegex(m.value);
        } catch (e) {
          throw new ExprParseError(e instanceof Error ? e.message : String(e), val.pos);
        }
      }
      matchers.push(m);
      if (this.isOp(',')) {
        this.next();
      } else if (!this.isOp('}')) {
        this.fail(this.peek(), 'expected "," or "}"');
      }
    }
    this.next();
    const filters: LineFilter[] = [];
    if (this.lang === 'logql') {
      for (;;) {
        const f = this.peek();
        if (f.t === 'op' && ['|=', '|~', '!=', '!~'].includes(f.v) && this.peek(1).t === 'string') {
          this.next();
          const s = this.next();
          const lf: LineFilter = { op: f.v as LineFilter['op'], value: s.v };
          if (lf.op === '|~' || lf.op === '!~') {
            lf.re = goRegex(s.v, false);
          }
          filters.push(lf);
          continue;
        }
        if (f.t === 'op' && f.v === '|') {
          throw new ExprParseError(`log pipeline stage "| ${this.peek(1).v}" is not supported by the emulator`, f.pos);
        }
        break;
      }
      if (!matchers.some((m) => (m.op === '=' || m.op === '=~') && !matchesEmpty(m))) {
        throw new EmptyCompatibleError(open.pos);
      }
    } else if (matchers.every(matchesEmpty)) {
      throw new ExprParseError('vector selector must contain at least one non-empty matcher', namePos ?? open.pos);
    }
    return { kind: 'selector', matchers, filters, pos: namePos ?? open.pos };
  }
}

/** Loki's errAtleastOneEqualityMatcherRequired (pkg/logql/syntax), reported via logqlmodel.NewParseError. */
export class EmptyCompatibleError extends ExprParseError {
  constructor(col: number) {
    super(
      'queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will',
      col
    );
  }
}

function durMs(s: string): number {
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
  let total = 0;
  for (const m of s.matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)) {
    total += Number(m[1]) * unit[m[2]];
  }
  return total;
}

export function parseExpr(src: string, lang: Lang): Node {
  return new Parser(lex(src), lang).parseTop();
}

/** Parse a bare stream/series selector such as `{service_name="x"}` (Loki `query`, `match[]`). */
export function parseSelector(src: string, lang: Lang): Matcher[] {
  const n = parseExpr(src, lang);
  if (n.kind !== 'selector' || n.rangeMs !== undefined || n.filters.length > 0) {
    throw new ExprParseError('only a stream selector is allowed here', 1);
  }
  return n.matchers;
}

// ------------------------------------------------------------------------------------------------
// Evaluation
// ------------------------------------------------------------------------------------------------

export interface Sample {
  labels: Labels;
  value: number;
  /** sample time in ms (the selected sample's own time for instant selectors) */
  ts: number;
}
export interface RangeSeries {
  labels: Labels;
  /** [tsMs, value] ascending */
  points: Array<[number, number]>;
}
export type Value = { type: 'scalar'; value: number } | { type: 'vector'; samples: Sample[] } | { type: 'matrix'; series: RangeSeries[] };

export interface DataAccess {
  /** Instant selector at t (PromQL only): newest sample in (t - lookback, t] per series. */
  instant(matchers: Matcher[], t: number): Sample[];
  /** Range selector over (t - range, t]: PromQL samples, or LogQL entries as [ts, bytes]. */
  range(matchers: Matcher[], filters: LineFilter[], t: number, rangeMs: number): RangeSeries[];
}

export class ExprEvalError extends Error {}
/** A runtime failure Prometheus reports as errorType `execution` (HTTP 422). */
export class ExprExecError extends Error {}

/**
 * Prometheus drops `__name__` in function results; two inputs that then share a label set make the
 * whole query fail (promql engine: "vector cannot contain metrics with the same labelset").
 */
function assertUniqueLabelsets(samples: Sample[]): void {
  const seen = new Set<string>();
  for (const s of samples) {
    const k = labelsKey(s.labels);
    if (seen.has(k)) {
      throw new ExprExecError('vector cannot contain metrics with the same labelset');
    }
    seen.add(k);
  }
}

const keyCache = new WeakMap<Labels, string>();

/**
 * Identity of a label set (map key only, never shown). Memoised per object: evaluation reuses the
 * stored series' label objects at every step, and treats every label object as immutable once keyed
 * (objects are built, then keyed; never changed after).
 */
export function labelsKey(l: Labels): string {
  let k = keyCache.get(l);
  if (k === undefined) {
    k = computeLabelsKey(l);
    keyCache.set(l, k);
  }
  return k;
}

/** labelsKey without the memo, for label objects the caller owns (and may change later). */
export function computeLabelsKey(l: Labels): string {
  const names = Object.keys(l).sort();
  let k = '';
  for (const n of names) {
    // Quoted name and value: unambiguous whatever the characters.
    k += JSON.stringify(n) + ':' + JSON.stringify(l[n]) + ',';
  }
  return k;
}

/** The labels without `__name__`: the same object when there is none (label objects are never changed once built). */
function dropName(l: Labels): Labels {
  if (!('__name__' in l)) {
    return l;
  }
  const { __name__: _n, ...rest } = l;
  return rest;
}

/** Per aggregation node: group key → its label object (`by`/no grouping), reused across steps. */
const groupLabels = new WeakMap<Node, Map<string, Labels>>();

export function evaluate(node: Node, t: number, data: DataAccess, lang: Lang): Value {
  switch (node.kind) {
    case 'number':
      return { type: 'scalar', value: node.value };
    case 'string':
      throw new ExprEvalError('string literals are not supported as expressions by the emulator');
    case 'selector':
      if (node.rangeMs !== undefined) {
        return { type: 'matrix', series: data.range(node.matchers, node.filters, t, node.rangeMs) };
      }
      if (lang === 'logql') {
        throw new ExprEvalError('log selector used where a metric expression is required');
      }
      return { type: 'vector', samples: data.instant(node.matchers, t) };
    case 'subquery': {
      const step = node.stepMs ?? 60_000;
      const from = t - node.rangeMs;
      const byKey = new Map<string, RangeSeries>();
      for (let s = Math.floor(from / step) * step; s <= t; s += step) {
        if (s <= from) {
          continue;
        }
        const v = evaluate(node.expr, s, data, lang);
        if (v.type !== 'vector') {
          throw new ExprEvalError('subquery is only allowed on instant vector');
        }
        for (const smp of v.samples) {
          const k = labelsKey(smp.labels);
          let rs = byKey.get(k);
          if (!rs) {
            rs = { labels: smp.labels, points: [] };
            byKey.set(k, rs);
          }
          rs.points.push([s, smp.value]);
        }
      }
      return { type: 'matrix', series: [...byKey.values()] };
    }
    case 'call':
      return evalCall(node, t, data, lang);
    case 'agg': {
      const v = evaluate(node.expr, t, data, lang);
      if (v.type !== 'vector') {
        throw new ExprEvalError(`expected instant vector in aggregation ${node.op}`);
      }
      const groups = new Map<string, { labels: Labels; values: number[] }>();
      const grouping = node.grouping;
      for (const s of v.samples) {
        let gl: Labels | undefined;
        let k: string;
        if (grouping === null) {
          k = '';
        } else if (node.without) {
          gl = { ...dropName(s.labels) };
          for (const l of grouping) {
            delete gl[l];
          }
          k = labelsKey(gl);
        } else {
          // `by`: the group is the grouping labels' values (absent and empty alike), keyed without
          // building a label object per sample.
          if (grouping.length === 1) {
            k = s.labels[grouping[0]] ?? '';
          } else {
            k = '';
            for (const l of grouping) {
              k += JSON.stringify(s.labels[l] ?? '') + ',';
            }
          }
        }
        let g = groups.get(k);
        if (!g) {
          if (!gl) {
            // The same group at another step (subqueries, query_range) gets the same label object,
            // so its key is computed once.
            let interned = groupLabels.get(node);
            if (!interned) {
              interned = new Map();
              groupLabels.set(node, interned);
            }
            gl = interned.get(k);
            if (!gl) {
              gl = {};
              for (const l of grouping ?? []) {
                if (s.labels[l] !== undefined && s.labels[l] !== '') {
                  gl[l] = s.labels[l];
                }
              }
              interned.set(k, gl);
            }
          }
          g = { labels: gl, values: [] };
          groups.set(k, g);
        }
        g.values.push(s.value);
      }
      const out: Sample[] = [];
      for (const g of groups.values()) {
        let value: number;
        switch (node.op) {
          case 'sum':
            value = g.values.reduce((a, b) => a + b, 0);
            break;
          case 'max':
            value = Math.max(...g.values);
            break;
          case 'min':
            value = Math.min(...g.values);
            break;
          case 'count':
            value = g.values.length;
            break;
          case 'avg':
            value = g.values.reduce((a, b) => a + b, 0) / g.values.length;
            break;
          default:
            value = 1;
        }
        out.push({ labels: g.labels, value, ts: t });
      }
      return { type: 'vector', samples: out };
    }
    case 'binary':
      return evalBinary(node, t, data, lang);
  }
}

function applyOp(op: string, a: number, b: number): number | boolean {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    default:
      return a <= b;
  }
}

function evalBinary(node: Extract<Node, { kind: 'binary' }>, t: number, data: DataAccess, lang: Lang): Value {
  const l = evaluate(node.lhs, t, data, lang);
  const r = evaluate(node.rhs, t, data, lang);
  if (l.type === 'matrix' || r.type === 'matrix') {
    throw new ExprEvalError('binary expression must contain only scalar and instant vector types');
  }
  if (l.type === 'scalar' && r.type === 'scalar') {
    const v = applyOp(node.op, l.value, r.value);
    return { type: 'scalar', value: typeof v === 'boolean' ? (v ? 1 : 0) : v };
  }
  const one = (s: Sample, other: number, vecLeft: boolean): Sample | null => {
    const res = vecLeft ? applyOp(node.op, s.value, other) : applyOp(node.op, other, s.value);
    if (typeof res === 'boolean') {
      if (node.bool) {
        return { labels: dropName(s.labels), value: res ? 1 : 0, ts: s.ts };
      }
      return res ? s : null;
    }
    return { labels: dropName(s.labels), value: res, ts: s.ts };
  };
  if (l.type === 'vector' && r.type === 'scalar') {
    return { type: 'vector', samples: l.samples.map((s) => one(s, r.value, true)).filter((x): x is Sample => x !== null) };
  }
  if (l.type === 'scalar' && r.type === 'vector') {
    return { type: 'vector', samples: r.samples.map((s) => one(s, l.value, false)).filter((x): x is Sample => x !== null) };
  }
  // vector op vector: one-to-one on identical label sets (without __name__).
  const right = new Map<string, Sample>();
  for (const s of (r as { samples: Sample[] }).samples) {
    right.set(labelsKey(dropName(s.labels)), s);
  }
  const out: Sample[] = [];
  for (const s of (l as { samples: Sample[] }).samples) {
    const o = right.get(labelsKey(dropName(s.labels)));
    if (!o) {
      continue;
    }
    const res = applyOp(node.op, s.value, o.value);
    if (typeof res === 'boolean') {
      if (node.bool) {
        out.push({ labels: dropName(s.labels), value: res ? 1 : 0, ts: s.ts });
      } else if (res) {
        out.push(s);
      }
    } else {
      out.push({ labels: dropName(s.labels), value: res, ts: s.ts });
    }
  }
  return { type: 'vector', samples: out };
}

function evalCall(node: Extract<Node, { kind: 'call' }>, t: number, data: DataAccess, lang: Lang): Value {
  const arg = (i: number) => {
    const a = node.args[i];
    if (!a) {
      throw new ExprEvalError(`expected argument ${i + 1} in call to "${node.fn}"`);
    }
    return evaluate(a, t, data, lang);
  };
  switch (node.fn) {
    case 'time':
      return { type: 'scalar', value: t / 1000 };
    case 'vector': {
      const v = arg(0);
      if (v.type !== 'scalar') {
        throw new ExprEvalError('vector() expects a scalar');
      }
      return { type: 'vector', samples: [{ labels: {}, value: v.value, ts: t }] };
    }
    case 'timestamp': {
      const v = arg(0);
      if (v.type !== 'vector') {
        throw new ExprEvalError('timestamp() expects an instant vector');
      }
      // Only a plain vector selector keeps its samples' own times; any other argument was computed at t.
      const own = node.args[0].kind === 'selector';
      const out = v.samples.map((s) => ({ labels: dropName(s.labels), value: (own ? s.ts : t) / 1000, ts: s.ts }));
      if (lang === 'promql') {
        assertUniqueLabelsets(out);
      }
      return { type: 'vector', samples: out };
    }
    case 'label_replace': {
      const v = arg(0);
      const str = (i: number) => {
        const a = node.args[i];
        if (!a || a.kind !== 'string') {
          throw new ExprEvalError(`expected string literal as argument ${i + 1} of label_replace`);
        }
        return a.value;
      };
      if (v.type !== 'vector') {
        throw new ExprEvalError('label_replace() expects an instant vector');
      }
      const [dst, repl, src, reSrc] = [str(1), str(2), str(3), str(4)];
      const re = goRegex(reSrc);
      const out = v.samples.map((s) => {
        const m = re.exec(s.labels[src] ?? '');
        if (!m) {
          return { ...s, ts: t };
        }
        const value = repl.replace(/\$\{?(\w+)\}?/g, (_x, g: string) => (/^\d+$/.test(g) ? (m[Number(g)] ?? '') : (m.groups?.[g] ?? '')));
        const labels = { ...s.labels };
        if (value === '') {
          delete labels[dst];
        } else {
          labels[dst] = value;
        }
        return { labels, value: s.value, ts: t };
      });
      assertUniqueLabelsets(out);
      return { type: 'vector', samples: out };
    }
    default: {
      const v = arg(0);
      if (v.type !== 'matrix') {
        throw new ExprEvalError(`expected type range vector in call to function "${node.fn}"`);
      }
      const rangeMs = node.args[0].kind === 'selector' ? (node.args[0].rangeMs ?? 0) : node.args[0].kind === 'subquery' ? node.args[0].rangeMs : 0;
      const out: Sample[] = [];
      let renamed = false;
      for (const s of v.series) {
        if (s.points.length === 0) {
          continue;
        }
        const vals = s.points.map((p) => p[1]);
        let value: number;
        switch (node.fn) {
          case 'max_over_time':
            value = Math.max(...vals);
            break;
          case 'min_over_time':
            value = Math.min(...vals);
            break;
          case 'last_over_time':
            value = vals[vals.length - 1];
            break;
          case 'sum_over_time':
            value = vals.reduce((a, b) => a + b, 0);
            break;
          case 'avg_over_time':
            value = vals.reduce((a, b) => a + b, 0) / vals.length;
            break;
          case 'present_over_time':
            value = 1;
            break;
          case 'count_over_time':
            value = vals.length;
            break;
          case 'rate':
            value = vals.length / (rangeMs / 1000);
            break;
          case 'bytes_over_time':
            value = vals.reduce((a, b) => a + b, 0);
            break;
          case 'bytes_rate':
            value = vals.reduce((a, b) => a + b, 0) / (rangeMs / 1000);
            break;
          default:
            throw new ExprEvalError(`function "${node.fn}" is not supported by the emulator`);
        }
        const labels = lang === 'promql' && node.fn !== 'last_over_time' ? dropName(s.labels) : s.labels;
        renamed ||= labels !== s.labels;
        out.push({ labels, value, ts: t });
      }
      // A range vector's series have distinct label sets (stored series, or a subquery's keyed
      // series), so only dropping `__name__` can make two results collide.
      if (lang === 'promql' && renamed) {
        assertUniqueLabelsets(out);
      }
      return { type: 'vector', samples: out };
    }
  }
}
