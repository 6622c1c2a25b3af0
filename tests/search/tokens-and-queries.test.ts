// Tokenization and query building beyond the basics.
import { indexTokens, MAX_QUERY_TOKENS, queryExpression, queryTerms, tsqueryExpression } from '../../src/ingest/search';
import { runsOf } from '../../src/ingest/search/tokens';
import { randomStrings } from '../helpers/random-strings';

describe('indexTokens', () => {
  test.each([
    ['中国联通', '中国 国联 联通'],
    ['中国联通(600050)', '中国 国联 联通 600050'],
    ['（600050.SH）', '600050 sh'],
    ['蔚来NIO', '蔚来 nio'],
    ['A股', 'a 股'],
    ['HFO-1234yf', 'hfo 1234yf'],
    ['6.3512', '6 3512'],
    ['ＡＢＣ１２３　ｄｅｆ', 'abc123 def'],
    ['コーヒー', 'コー ーヒ ヒー'],
    ['한국어', '한국 국어'],
    ['𠀀𠀁𠀂', '𠀀𠀁 𠀁𠀂'],
    ['Ünïcödé Straße', 'unicode straße'],
    ['Café DÉJÀ vu', 'cafe deja vu'],
    ['e\u0305x ゠ア゠イ', 'e x ア イ'],
    ['“引号”、《书名》——破折号…', '引号 书名 破折 折号'],
    ['emoji 😀 中', 'emoji 中'],
    ['under_score', 'under score'],
    ['\ud800 lone surrogate', 'lone surrogate'],
    ['', ''],
    ['   ！？。', ''],
  ])('%j', (text, tokens) => {
    expect(indexTokens(text)).toBe(tokens);
  });

  test('keeps token order so phrases work', () => {
    const tokens = indexTokens('省政府与中国联通签署《“数字青海”战略合作框架协议》').split(' ');
    expect(tokens.slice(0, 6)).toEqual(['省政', '政府', '府与', '与中', '中国', '国联']);
    expect(tokens.join(' ')).toContain('中国 国联 联通 通签');
  });

  test('the fast scan agrees with the regex runs used for queries (random strings)', () => {
    const pool = [
      '中',
      '国',
      '联',
      '通',
      '〇',
      'a',
      'B',
      '1',
      '-',
      ' ',
      '，',
      'ー',
      'コ',
      'ｺ',
      '한',
      '𠀀',
      'é',
      '\u0301',
      '_',
      '😀',
      'Ａ',
      '\ud800',
      '\udc00',
      'ß',
      'İ',
      '㈱',
      '①',
      '\u00a0',
      '٣',
    ];
    for (const x of randomStrings(pool, 42, 20000, 12)) {
      const expected = runsOf(x.normalize('NFKC'))
        .flatMap((r) => r.tokens)
        .join(' ');
      if (indexTokens(x) !== expected) expect([x, indexTokens(x)]).toEqual([x, expected]);
    }
  });

  test('a megabyte of text', () => {
    const tokens = indexTokens('中国联通HFO-1234yf。'.repeat(60000));
    expect(tokens.startsWith('中国 国联 联通 hfo 1234yf 中国')).toBe(true);
  });
});

describe('queryExpression', () => {
  const SAFE = /^"[\p{L}\p{N}\p{M} ]+"\*?( AND "[\p{L}\p{N}\p{M} ]+"\*?)*$/u;

  test.each([
    ['联通', '"联通"'],
    ['中国联通', '"中国 国联 联通"'],
    ['中国联通 茅台', '"中国 国联 联通" AND "茅台"'],
    ['茅', '"茅"*'],
    ['茅 台', '"茅"* AND "台"*'],
    ['HFO', '"hfo"'],
    ['HFO-1234yf', '"hfo 1234yf"'],
    ['600050.SH', '"600050 sh"'],
    ['ＮＩＯ', '"nio"'],
    ['中国联通　中国联通', '"中国 国联 联通"'],
    // A lone last CJK character is a prefix: the text's `A股三大` is indexed `a 股三 三大`.
    ['A股', '"a 股"*'],
    ['A股B', '"a 股 b"'],
    ['股A', '"股 a"'],
  ])('%j', (query, expr) => {
    expect(queryExpression(query)).toBe(expr);
  });

  test.each([
    '"',
    '*',
    '"*"',
    'NEAR(',
    'NEAR(a b, 3)',
    'AND',
    'OR',
    'NOT',
    'a AND b',
    'a OR b',
    'NOT a',
    ':',
    'body:x',
    '{title body}:x',
    '^x',
    '(',
    ')',
    '(a OR b)',
    'a" OR "b',
    "'",
    '\\"',
    '-x',
    '+x',
    'x*',
    '\u0000',
    '；；；',
  ])('syntax characters never leak: %j', (query) => {
    const expr = queryExpression(query);
    if (expr !== null) expect(expr).toMatch(SAFE);
  });

  test('nothing searchable gives null', () => {
    for (const q of ['', '   ', '"*()^:', '。，、', '\n\t']) expect(queryExpression(q)).toBeNull();
  });

  test('a 10,000-character input is capped', () => {
    for (const q of [
      'x'.repeat(10000),
      '联'.repeat(10000),
      'a '.repeat(5000),
      '中国 '.repeat(3000),
      '"('.repeat(5000),
    ]) {
      const expr = queryExpression(q);
      if (expr === null) continue;
      expect(expr).toMatch(SAFE);
      const tokens = queryTerms(q).reduce((n, t) => n + t.tokens.length, 0);
      expect(tokens).toBeLessThanOrEqual(MAX_QUERY_TOKENS);
      expect(expr.length).toBeLessThan(2600);
    }
  });

  test('a term cut by the cap keeps its leading tokens', () => {
    const terms = queryTerms('中'.repeat(10) + ' ' + '国'.repeat(40));
    expect(terms.map((t) => t.tokens.length)).toEqual([9, 23]);
    expect(terms[1].runs[0].text).toBe('国'.repeat(24));
  });
});

describe('tsqueryExpression (PostgreSQL): the same terms as the FTS5 expression', () => {
  const SAFE =
    /^(\('[\p{L}\p{N}\p{M}]+'( <-> '[\p{L}\p{N}\p{M}]+')*(:\*)?\)|'[\p{L}\p{N}\p{M}]+':\*)( & (\('[\p{L}\p{N}\p{M}]+'( <-> '[\p{L}\p{N}\p{M}]+')*(:\*)?\)|'[\p{L}\p{N}\p{M}]+':\*))*$/u;

  test.each([
    ['联通', "('联通')"],
    ['中国联通 茅台', "('中国' <-> '国联' <-> '联通') & ('茅台')"],
    ['茅', "'茅':*"],
    ['600050.SH', "('600050' <-> 'sh')"],
    ['A股', "('a' <-> '股':*)"],
  ])('%j', (query, expr) => {
    expect(tsqueryExpression(queryTerms(query))).toBe(expr);
  });

  test.each(["'", "a'b", "'':*", '!x', '&', '|', '<->', 'a & b', 'a | !b', '(a', 'x:*', 'x:A', '\\', '<2>', '；；；'])(
    'tsquery syntax characters never leak: %j',
    (query) => {
      const terms = queryTerms(query);
      if (terms.length) expect(tsqueryExpression(terms)).toMatch(SAFE);
    },
  );
});
