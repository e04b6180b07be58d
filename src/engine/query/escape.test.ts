import { escapeQuotedBody, promqlString, regexAlternationString, regexEscape, traceqlString } from './escape';

describe('query string escaping', () => {
  it('escapes quotes, backslashes and newlines in string literals', () => {
    expect(promqlString('say "hi"')).toBe('"say \\"hi\\""');
    expect(promqlString('C:\\svc')).toBe('"C:\\\\svc"');
    expect(promqlString('a\nb\tc\rd')).toBe('"a\\nb\\tc\\rd"');
    expect(promqlString('\u0001')).toBe('"\\x01"');
  });

  it('keeps unicode as is', () => {
    expect(promqlString('zahlungsdienst-ü-支付-🚀')).toBe('"zahlungsdienst-ü-支付-🚀"');
  });

  it('escapes every RE2 metacharacter for =~', () => {
    expect(regexEscape('.*+?[](){}|^$\\')).toBe('\\.\\*\\+\\?\\[\\]\\(\\)\\{\\}\\|\\^\\$\\\\');
    expect(regexEscape('plain-name_1')).toBe('plain-name_1');
  });

  it('regex-escapes, then string-escapes an alternation', () => {
    // a.b must match only "a.b": regex a\.b, written in a PromQL string as "a\\.b"
    expect(regexAlternationString(['a.b', 'c|d', 'q"uote'])).toBe('"a\\\\.b|c\\\\|d|q\\"uote"');
    expect(regexAlternationString(['back\\slash'])).toBe('"back\\\\\\\\slash"');
  });

  it('the escaped alternation, once unquoted the way Go does, is a regex matching exactly the names', () => {
    const names = ['a.b', 'x+y', 'we(i)rd', 'q"uote', 'back\\slash', 'new\nline', '^$', 'ünï'];
    const literal = regexAlternationString(names);
    // JSON string decoding is a faithful stand-in for Go's strconv.Unquote for these escapes.
    const source = JSON.parse(literal) as string;
    const re = new RegExp(`^(?:${source})$`);
    for (const n of names) {
      expect(re.test(n)).toBe(true);
    }
    expect(re.test('aXb')).toBe(false);
    expect(re.test('xxy')).toBe(false);
  });

  it('TraceQL strings use the same escapes', () => {
    expect(traceqlString('shop "eu"\\1')).toBe('"shop \\"eu\\"\\\\1"');
    expect(escapeQuotedBody('plain')).toBe('plain');
  });
});
