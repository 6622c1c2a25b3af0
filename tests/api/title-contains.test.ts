import fs from 'node:fs';
import path from 'node:path';
import { importArchives } from '../../src/db/importer';
import { filterSql } from '../../src/db/queries/post-filter';
import { postCounts, postPages, type PostPageSpec } from '../../src/db/queries/post-pages';
import { titleNeedleTokens } from '../../src/ingest/search';
import { tempDatabase, TempDatabase } from '../helpers/db';
import { archiveCopy, PLAIN, postText } from '../watch/helpers';

// `titleContains` with Han text first asks the text index for the titles that hold its bigrams
// (a superset), then tests each of those for the substring: the answers must be exactly what
// testing every title gives, on the real titles and on titles written to trip the index up.

const HOSTILE_TITLES = [
  '中國聯通公告', // traditional: the index folds it to 中国联通
  '中国联通公告',
  '\uF900有此理', // a compatibility ideograph, which NFKC (and NFC) turn into U+8C48
  '\u8C48有此理',
  '银\u0301行 与银行', // a combining mark inside the word, then the word
  '银行\u0301业绩',
  'A股银行B股',
  '𠀀𠀁𠀂 astral Han',
  '银 行 分开',
  '全角ｂａｎｋ银行',
  'Bank of China 中国银行ETF',
];

let t: TempDatabase;
let titles: { id: number; title: string }[];

beforeAll(async () => {
  t = await tempDatabase();
  const archive = archiveCopy();
  HOSTILE_TITLES.forEach((title, i) =>
    fs.writeFileSync(
      path.join(archive, '_posts', `2022-01-${String(i + 1).padStart(2, '0')}-hostile-${i}.md`),
      postText(PLAIN, title),
    ),
  );
  await importArchives(t.writeStore, [archive], { workers: 0 });
  titles = (await t.query<{ id: number; title: string }>('SELECT id, title FROM post')).map((r) => ({
    id: Number(r.id),
    title: r.title,
  }));
}, 60_000);
afterAll(() => t.close());

const spec = (titleContains: string, limit = 100): PostPageSpec => ({
  scope: null,
  filter: { titleContains },
  ascending: false,
  forward: true,
  limit,
});

async function check(needle: string): Promise<number> {
  const lower = needle.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const expected = titles
    .filter((p) => p.title.replace(/[A-Z]/g, (c) => c.toLowerCase()).includes(lower))
    .map((p) => p.id)
    .sort((a, b) => a - b);
  const [count] = await postCounts(t.store.runner(), [spec(needle)]);
  const [page] = await postPages(t.store.runner(), [spec(needle, 100)]);
  expect({ needle, count, ids: page.items.map((r) => Number(r.id)).sort((a, b) => a - b) }).toEqual({
    needle,
    count: expected.length,
    ids: expected.slice(0, 100),
  });
  return expected.length;
}

test('Han needles use the text index; others, and Han beside other characters, read the titles', () => {
  const uses = (needle: string) => filterSql({ titleContains: needle }, t.store.runner().dialect).where.join(' ');
  expect(uses('银行')).toMatch(/post_fts|post_search/);
  expect(uses('中国联通')).toMatch(/post_fts|post_search/);
  for (const needle of ['A股', '银', 'bank', '银 行', '\uF900有', '银行A'])
    expect(uses(needle)).not.toMatch(/post_fts|post_search/);
  expect(titleNeedleTokens('中國聯通')).toEqual(['中国', '国联', '联通']);
});

test('every Han window of every real and hostile title finds exactly the titles holding it', async () => {
  const windows = new Set<string>();
  for (const { title } of titles) {
    const chars = Array.from(title);
    for (let i = 0; i < chars.length; i++)
      for (const n of [2, 3, 5]) {
        const w = chars.slice(i, i + n).join('');
        if (Array.from(w).length === n && titleNeedleTokens(w)) windows.add(w);
      }
  }
  expect(windows.size).toBeGreaterThan(500);
  let found = 0;
  for (const w of windows) found += (await check(w)) > 0 ? 1 : 0;
  expect(found).toBe(windows.size);
}, 120_000);

test('hostile needles: folded, compatibility, combining marks, astral, absent', async () => {
  expect(await check('中國聯通')).toBeGreaterThanOrEqual(1);
  expect(await check('中国联通')).toBeGreaterThanOrEqual(1);
  // Each form finds only its own title, though the index holds both alike.
  expect(await check('\uF900有此理')).toBe(1);
  expect(await check('\u8C48有此理')).toBe(1);
  expect(await check('银行')).toBeGreaterThanOrEqual(4);
  expect(await check('银\u0301行')).toBe(1);
  expect(await check('𠀀𠀁')).toBe(1);
  expect(await check('股银行b')).toBe(1);
  expect(await check('行与')).toBe(0);
  expect(await check('不存在的词')).toBe(0);
});

test('needles the text index cannot narrow test the titles in the date index, not every post row (SQLite)', async () => {
  if (t.store.kind !== 'sqlite') return;
  const where = filterSql({ titleContains: 'bank' }, t.store.runner().dialect);
  const plan = (sql: string) =>
    (t.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...where.params) as { detail: string }[])
      .map((r) => r.detail)
      .join(' | ');
  // A count reads the index alone; a page in date order tests each title before reading its row.
  expect(plan(`SELECT count(*) FROM post p WHERE ${where.where.join(' AND ')}`)).toBe(
    'SCAN p USING COVERING INDEX ix_post_date',
  );
  expect(
    plan(
      `SELECT p.id, p.url FROM post p INDEXED BY ix_post_date WHERE ${where.where.join(' AND ')} ORDER BY p.date_ms DESC, p.id DESC LIMIT 20`,
    ),
  ).toBe('SCAN p USING INDEX ix_post_date');
  expect(await check('bank')).toBe(1);
  expect(await check('etf')).toBeGreaterThanOrEqual(1);
  expect(await check('ａｎｋ')).toBe(1);
  expect(await check('k of c')).toBe(1);
});
