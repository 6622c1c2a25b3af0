import fs from 'node:fs';
import path from 'node:path';
import { packText, textPrefixOf } from '../../src/ingest/render/packed';
import { highlightSnippet } from '../../src/ingest/search';
import { SEED } from '../helpers/db';

describe('highlightSnippet', () => {
  test('marks every match in the window and escapes the rest', () => {
    expect(highlightSnippet('<b>中国联通</b> & 联通', '联通')).toBe(
      '&#60;b&#62;中国<mark>联通</mark>&#60;/b&#62; &#38; <mark>联通</mark>',
    );
  });

  test('multiple terms; the longer form wins where they overlap', () => {
    expect(highlightSnippet('中国联通与中国移动', '中国联通 中国')).toBe(
      '<mark>中国联通</mark>与<mark>中国</mark>移动',
    );
  });

  test('cuts around the first match with ellipses, within about maxChars', () => {
    const text = `${'甲'.repeat(500)}联通${'乙'.repeat(500)}`;
    const s = highlightSnippet(text, '联通', { maxChars: 40 });
    expect(s).toMatch(/^…甲+<mark>联通<\/mark>乙+…$/);
    expect(s.replace(/<\/?mark>|…/g, '').length).toBe(40);
    expect(s.indexOf('<mark>')).toBeLessThan(15);
  });

  test('a match near the end fills the window from the left', () => {
    const s = highlightSnippet(`${'甲'.repeat(500)}联通`, '联通', { maxChars: 20 });
    expect(s).toBe(`…${'甲'.repeat(18)}<mark>联通</mark>`);
  });

  test('Latin terms match case-insensitively and as whole words', () => {
    expect(highlightSnippet('UNION nio NIO蔚来 nios', 'NIO')).toBe('UNION <mark>nio</mark> <mark>NIO</mark>蔚来 nios');
    expect(highlightSnippet('使用HFO-1234yf制冷剂', 'hfo-1234YF')).toBe('使用<mark>HFO-1234yf</mark>制冷剂');
    expect(highlightSnippet('使用HFO-1234yf制冷剂', 'hfo')).toBe('使用<mark>HFO</mark>-1234yf制冷剂');
  });

  test('matches on the original text when it is not NFKC (full-width forms)', () => {
    expect(highlightSnippet('蔚来（ＮＩＯ）股价', 'nio')).toBe('蔚来（<mark>ＮＩＯ</mark>）股价');
    expect(highlightSnippet('代码６０００５０', '600050')).toBe('代码<mark>６０００５０</mark>');
  });

  test('a lone CJK character (a prefix query) is marked wherever it occurs', () => {
    expect(highlightSnippet('贵州茅台，茅', '茅')).toBe('贵州<mark>茅</mark>台，<mark>茅</mark>');
  });

  test('no match, or nothing searchable: the start of the text', () => {
    expect(highlightSnippet('abc def', 'zzz')).toBe('abc def');
    expect(highlightSnippet('abc def', '"*()')).toBe('abc def');
    expect(highlightSnippet('x'.repeat(300), 'zzz', { maxChars: 10 })).toBe(`${'x'.repeat(10)}…`);
    expect(highlightSnippet('', '联通')).toBe('');
  });

  test('newlines and runs of spaces become single spaces', () => {
    expect(highlightSnippet('第一段\n第二段  联通', '联通')).toBe('第一段 第二段 <mark>联通</mark>');
  });

  test('custom markers, inserted as given', () => {
    expect(highlightSnippet('中国联通', '联通', { open: '[', close: ']' })).toBe('中国[联通]');
  });

  test('never splits a surrogate pair at the window edges', () => {
    const s = highlightSnippet(`${'𠀀'.repeat(100)}联通${'𠀀'.repeat(100)}`, '联通', { maxChars: 21 });
    expect(s).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });

  test('hostile queries and huge inputs', () => {
    const text = '中国联通'.repeat(100000);
    const s = highlightSnippet(text, `联通 ${'"*('.repeat(3000)}`);
    expect(s.startsWith('中国<mark>联通</mark>')).toBe(true);
    expect(highlightSnippet('a.b', '.')).toBe('a.b');
    expect(highlightSnippet('(x)', '(x)')).toBe('(<mark>x</mark>)');
  });

  test('the snippet does not depend on how much of the text is normalized first', () => {
    const made = [
      'xx nio xnio niox NIO. ｎｉｏ 蔚来（ＮＩＯ）',
      `${'甲'.repeat(30)}㍿中国联通㍿${'乙'.repeat(30)}联通`,
      '使用HFO-1234yf制冷剂, HFO - 1234YF, hfo1234yf',
      `${'𠀀'.repeat(20)}联通${'é'.repeat(20)}e\u0301联通ﬁ联通`,
      '，'.repeat(50) + '贵州茅台' + '，'.repeat(50) + '茅',
      `A股${'-'.repeat(9)}A${'-'.repeat(8)}股 a股`,
      // A prefix that ends inside a word, or inside the longer of two terms, holds a false first match.
      'niox nios nio',
      '中国联通与中国',
      'hfo-1234yfx hfo-1234yf',
      // A second match across the end of the window.
      `nio ${'-'.repeat(11)}nio ${'-'.repeat(7)}中国联通`,
    ];
    const sample = ['_posts', 'old_post'].flatMap((d) =>
      fs
        .readdirSync(path.join(SEED, d))
        .slice(0, 12)
        .map((f) => fs.readFileSync(path.join(SEED, d, f), 'utf8')),
    );
    const queries = [
      '联通',
      '中国联通 中国',
      'NIO',
      'hfo-1234yf',
      '茅',
      '公司 股份',
      'é',
      '株式会社',
      'A股',
      '中国 的',
    ];
    let compared = 0;
    // Short windows end at many places, so matches straddle the window's end and the prefix's.
    const every = Array.from({ length: 64 }, (_, i) => i + 1);
    const cases = [
      ...made.flatMap((text) => [3, 5, 8, 13, 16, 40].map((maxChars) => ({ text, maxChars, prefixes: every }))),
      ...sample.map((text) => ({ text, maxChars: 120, prefixes: [1, 13, 55, 144, 512] })),
    ];
    for (const { text, maxChars, prefixes } of cases) {
      const packed = packText(text);
      for (const q of queries) {
        const want = highlightSnippet(text, q, { prefix: Infinity, maxChars });
        for (const prefix of [...prefixes, 89, 144, 512]) {
          expect(highlightSnippet(text, q, { prefix, maxChars })).toBe(want);
          // Packed, as SQLite stores it: read a prefix at a time, cut where the bytes fall.
          expect(highlightSnippet(textPrefixOf(packed, 'case'), q, { prefix, maxChars })).toBe(want);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(30000);
  });
});
