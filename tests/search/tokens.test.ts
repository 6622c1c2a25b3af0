import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  highlightSnippet,
  indexTokens,
  MAX_QUERY_TOKENS,
  queryExpression,
  FTS5_TOKENIZE,
} from '../../src/ingest/search';
import { SEED } from '../helpers/db';

const body = (rel: string) => fs.readFileSync(path.join(SEED, rel), 'utf8').split(/^---$/m).slice(2).join('---');

describe('index tokens', () => {
  test('CJK runs become overlapping bigrams; words are lower-cased; punctuation separates', () => {
    expect(indexTokens('中国联通发布5G')).toBe('中国 国联 联通 通发 发布 5g');
    expect(indexTokens('HFO-1234yf制冷剂，蔚来')).toBe('hfo 1234yf 制冷 冷剂 蔚来');
    expect(indexTokens('单 字')).toBe('单 字');
    expect(indexTokens('ＡＢＣ１２３')).toBe('abc123');
    expect(indexTokens('')).toBe('');
  });
});

describe('query expressions', () => {
  test('terms become quoted phrases ANDed; a lone CJK character is a prefix query', () => {
    expect(queryExpression('联通')).toBe('"联通"');
    expect(queryExpression('中国联通 600050')).toBe('"中国 国联 联通" AND "600050"');
    expect(queryExpression('茅')).toBe('"茅"*');
    expect(queryExpression('   ')).toBeNull();
    expect(queryExpression('"*()^:')).toBeNull();
  });

  test('FTS5 syntax in user input can never inject operators', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(body, tokenize='${FTS5_TOKENIZE}')`);
    db.prepare('INSERT INTO t (rowid, body) VALUES (1, ?)').run(indexTokens('中国联通 and near or not'));
    const hostile = [
      '"',
      '*',
      'NEAR(',
      'AND',
      'OR',
      'NOT',
      'body:联通',
      '^联通',
      '(联通',
      '联通)',
      '"联通',
      'a" OR "b',
      '-联通',
      '联通*',
      'x'.repeat(10000),
      '联'.repeat(5000),
    ];
    for (const q of hostile) {
      const expr = queryExpression(q);
      if (expr === null) continue;
      expect(() => db.prepare('SELECT rowid FROM t WHERE t MATCH ?').all(expr)).not.toThrow();
    }
    expect(queryExpression('联'.repeat(5000))!.split(' ').length).toBeLessThanOrEqual(MAX_QUERY_TOKENS);
  });
});

describe('end to end on the real posts', () => {
  const db = new Database(':memory:');
  db.exec(
    `CREATE VIRTUAL TABLE post_fts USING fts5(title, body, content='', contentless_delete=1, tokenize='${FTS5_TOKENIZE}')`,
  );
  const posts = [
    ['old_post/2022-06-16-NW202206162414061171.md', '信长星吴晓军与中国联通董事长刘烈宏一行座谈'],
    ['_posts/2022-05-26-202205262391921712.md', '国内首次！蔚来汽车启用这款“绿色”制冷液'],
    ['old_post/2021-12-08-202112082206703990.md', 'FF：有充足的现金支持到FF 91完成投产'],
  ];
  posts.forEach(([rel, title], i) =>
    db
      .prepare('INSERT INTO post_fts (rowid, title, body) VALUES (?, ?, ?)')
      .run(i + 1, indexTokens(title), indexTokens(body(rel))),
  );
  const search = (q: string) =>
    (
      db
        .prepare('SELECT rowid FROM post_fts WHERE post_fts MATCH ? ORDER BY bm25(post_fts, 10.0, 1.0)')
        .all(queryExpression(q)) as { rowid: number }[]
    ).map((r) => r.rowid);

  test('two-character words, phrases, prefixes and Latin words match', () => {
    expect(search('联通')).toEqual([1]);
    expect(search('中国联通')).toEqual([1]);
    expect(search('制冷剂')).toEqual([2]);
    expect(search('hfo')).toEqual([2]);
    expect(search('蔚')).toEqual([2]);
    expect(search('联通 制冷剂')).toEqual([]);
  });

  test('a phrase does not match its characters apart', () => {
    expect(search('国中')).toEqual([]);
  });
});

describe('snippets', () => {
  test('marks every match, escapes the text, cuts around the first match', () => {
    const text = `${'前'.repeat(200)}中国联通<b>签约</b>，联通${'后'.repeat(200)}`;
    const s = highlightSnippet(text, '联通');
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('中国<mark>联通</mark>&#60;b&#62;签约');
    expect(s.match(/<mark>/g)).toHaveLength(2);
    expect(s).not.toContain('<b>');
  });

  test('the longest form of the query is marked whole; no match gives the start of the text', () => {
    expect(highlightSnippet('中国联通发布', '中国联通')).toBe('<mark>中国联通</mark>发布');
    expect(highlightSnippet('abc def', 'zzz')).toBe('abc def');
    expect(highlightSnippet('NIO rose', 'nio')).toBe('<mark>NIO</mark> rose');
  });
});
