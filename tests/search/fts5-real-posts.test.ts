// End to end: real posts rendered, tokenized and indexed in an in-memory FTS5 table, then searched.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { render } from '../../src/ingest/render';
import { highlightSnippet, indexTokens, queryExpression, FTS5_TOKENIZE } from '../../src/ingest/search';

const FINEWS = path.join(__dirname, '..', '..', 'seeds', 'finews');
const UNICOM = 'old_post/2022-06-16-NW202206162414061171.md';
const UNICOM_5G = 'old_post/2021-12-08-202112082207157777.md';
const MAOTAI = 'old_post/2021-12-08-202112082206736335.md';
const NIO = '_posts/2022-05-26-202205262391921712.md';
const NIO_TWIN = '_posts/-202205262391921712.md';

interface Post {
  path: string;
  title: string;
  text: string;
}

function readPost(rel: string): Post {
  const src = fs.readFileSync(path.join(FINEWS, rel), 'utf8');
  const [, front, body] = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(src)!;
  const title = /^title:\s*"(.*)"\s*$/m.exec(front)?.[1] ?? '';
  return { path: rel, title, text: render(body).text };
}

const posts: Post[] = ['_posts', 'old_post'].flatMap((dir) =>
  fs
    .readdirSync(path.join(FINEWS, dir))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => readPost(`${dir}/${f}`)),
);

const db = new Database(':memory:');
db.exec(`CREATE VIRTUAL TABLE post_fts USING fts5(title, body, tokenize='${FTS5_TOKENIZE}')`);
const insert = db.prepare('INSERT INTO post_fts (rowid, title, body) VALUES (?, ?, ?)');
posts.forEach((p, i) => insert.run(i + 1, indexTokens(p.title), indexTokens(p.text)));
const select = db.prepare(
  'SELECT rowid, bm25(post_fts, 5.0, 1.0) AS score FROM post_fts WHERE post_fts MATCH ? ORDER BY score, rowid',
);

/** Paths of the matching posts, best first. */
function search(query: string): string[] {
  const expr = queryExpression(query);
  if (expr === null) return [];
  return (select.all(expr) as Array<{ rowid: number }>).map((r) => posts[r.rowid - 1].path);
}

afterAll(() => db.close());

test('the corpus is indexed', () => {
  expect(posts.length).toBeGreaterThan(100);
});

test('两字词 联通 finds both China Unicom posts', () => {
  expect(search('联通').sort()).toEqual([UNICOM, UNICOM_5G].sort());
});

test('the phrase 中国联通 matches; its characters in another order do not', () => {
  expect(search('中国联通').sort()).toEqual([UNICOM, UNICOM_5G].sort());
  expect(search('联通中国')).toEqual([]);
});

test('a two-character query finds exactly the posts containing it (美国联储 too)', () => {
  for (const word of ['国联', '联通', '茅台', '制冷', '股价', '人民币']) {
    const expected = posts.filter((p) => `${p.title}\n${p.text}`.includes(word)).map((p) => p.path);
    expect(search(word).sort()).toEqual(expected.sort());
  }
});

test('a lone character is a prefix: 茅 finds 贵州茅台', () => {
  expect(search('茅')).toEqual([MAOTAI]);
  expect(search('茅台')).toEqual([MAOTAI]);
  expect(search('贵州茅台 600519')).toEqual([MAOTAI]);
});

test('a word ending in a lone CJK character: A股 finds every post that writes it (indexed `a 股三 …`)', () => {
  const norm = (p: Post) => `${p.title}\n${p.text}`.normalize('NFKC').toLowerCase();
  const expected = posts.filter((p) => /(^|[^a-z0-9])a股/.test(norm(p))).map((p) => p.path);
  expect(expected.length).toBeGreaterThanOrEqual(4);
  expect(search('A股').sort()).toEqual(expected.sort());
  expect(search('a股')).toEqual(search('A股'));
});

test('Latin words and codes: HFO, HFO-1234yf, nio in any case', () => {
  expect(search('HFO').sort()).toEqual([NIO_TWIN, NIO].sort());
  expect(search('hfo-1234YF').sort()).toEqual([NIO_TWIN, NIO].sort());
  expect(search('ＨＦＯ').sort()).toEqual([NIO_TWIN, NIO].sort());
});

test('terms are ANDed', () => {
  expect(search('联通 西宁')).toEqual([UNICOM]);
  expect(search('联通 制冷剂')).toEqual([]);
});

test('bm25 over bigram tokens ranks usefully', () => {
  const scores = (select.all(queryExpression('联通')!) as Array<{ score: number }>).map((r) => r.score);
  expect(scores).toHaveLength(2);
  expect(scores.every(Number.isFinite)).toBe(true);
  expect(scores[0]).toBeLessThan(scores[1]);

  // Same length, more mentions ranks first; a title mention outweighs a body mention.
  const t = new Database(':memory:');
  t.exec(`CREATE VIRTUAL TABLE f USING fts5(title, body, tokenize='${FTS5_TOKENIZE}')`);
  const add = t.prepare('INSERT INTO f (rowid, title, body) VALUES (?, ?, ?)');
  add.run(1, indexTokens('公告'), indexTokens('中国联通发布公告，其他内容其他内容其他内容。'));
  add.run(2, indexTokens('公告'), indexTokens('中国联通发布公告，中国联通其他内容其他内容。'));
  add.run(3, indexTokens('中国联通'), indexTokens('某公司发布公告，其他内容其他内容其他内容。'));
  const order = (weights: string) =>
    (
      t
        .prepare(`SELECT rowid FROM f WHERE f MATCH ? ORDER BY bm25(f, ${weights})`)
        .all(queryExpression('中国联通')!) as Array<{ rowid: number }>
    ).map((r) => r.rowid);
  expect(order('10.0, 1.0')).toEqual([3, 2, 1]);
  expect(order('0.0, 1.0').slice(0, 2)).toEqual([2, 1]);
  t.close();
});

test('hostile queries never raise an FTS5 syntax error', () => {
  const hostile = [
    '"',
    '*',
    '"*"',
    'NEAR(',
    'NEAR(联通 中国, 2)',
    'AND',
    'OR',
    'NOT',
    '联通 AND',
    'OR 联通',
    'NOT 联通',
    'title:联通',
    '{title}:联通',
    '^联通',
    '(联通',
    '联通)',
    '"联通',
    'a" OR "b',
    '-联通',
    '联通*',
    '*联通',
    'x'.repeat(10000),
    '联'.repeat(10000),
    '" '.repeat(5000),
  ];
  for (const q of hostile) {
    const expr = queryExpression(q);
    if (expr === null) continue;
    expect(() => select.all(expr)).not.toThrow();
  }
  expect(search('title:联通')).toEqual([]);
  expect(search('联通 OR 制冷剂')).toEqual([]);
});

test('snippets of the hits mark the query on the stored text', () => {
  const unicom = posts.find((p) => p.path === UNICOM)!;
  const snippet = highlightSnippet(unicom.text, '中国联通');
  expect(snippet).toMatch(/^….{10,40}<mark>中国联通<\/mark>党组书记/);
  const nio = posts.find((p) => p.path === NIO)!;
  expect(highlightSnippet(nio.text, 'hfo')).toContain('<mark>HFO</mark>-1234yf');
});
