// Simplified and traditional Chinese fold together in search: the committed table is OpenCC's,
// the index and the query fold alike, snippets mark the text as written, and a database indexed
// before folding is re-tokenized by its migration. Runs on the suite's database.
import fs from 'node:fs';
import path from 'node:path';
import { foldHan } from '../../src/ingest/search/fold';
import { SIMPLIFIED, TRADITIONAL } from '../../src/ingest/search/han-fold-table';
import { highlightSnippet, indexTokens, queryTerms } from '../../src/ingest/search';
import { searchVector } from '../../src/ingest/search/tsvector';
import { BACKEND } from '../helpers/db';
import { sampleApi, sampleApiWith, searchTitles } from '../helpers/api';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { deriveHanFold, tableSource } = require('../../tools/gen-han-fold.js') as {
  deriveHanFold: () => [string, string][];
  tableSource: (pairs: [string, string][]) => string;
};

describe('the fold table', () => {
  test('is exactly what tools/gen-han-fold.js derives from the installed opencc-js', () => {
    const pairs = deriveHanFold();
    expect(TRADITIONAL).toBe(pairs.map((p) => p[0]).join(''));
    expect(SIMPLIFIED).toBe(pairs.map((p) => p[1]).join(''));
    const committed = fs.readFileSync(path.join(__dirname, '../../src/ingest/search/han-fold-table.ts'), 'utf8');
    expect(committed).toBe(tableSource(pairs));
  });

  test('maps BMP Han to other BMP Han, one unit for one, and folding twice changes nothing', () => {
    expect(TRADITIONAL.length).toBe(SIMPLIFIED.length);
    expect(TRADITIONAL.length).toBeGreaterThan(2500);
    const han = /^\p{sc=Han}$/u;
    for (let i = 0; i < TRADITIONAL.length; i++) {
      expect(han.test(TRADITIONAL[i]) && han.test(SIMPLIFIED[i])).toBe(true);
      expect(TRADITIONAL[i]).not.toBe(SIMPLIFIED[i]);
    }
    expect(new Set(TRADITIONAL).size).toBe(TRADITIONAL.length);
    expect(foldHan(TRADITIONAL)).toBe(SIMPLIFIED);
    expect(foldHan(SIMPLIFIED)).toBe(SIMPLIFIED);
  });

  test('folds traditional text and leaves simplified, Latin, kana and surrogate pairs alone', () => {
    expect(foldHan('中國聯通發佈公告')).toBe('中国联通发布公告');
    expect(foldHan('臺灣積體電路製造')).toBe('台湾积体电路制造');
    const untouched = '中国联通(600050) HFO-1234yf カタカナ 𠀀𩸽 ü';
    expect(foldHan(untouched)).toBe(untouched);
    // Not even a copy: the common case costs a scan.
    const s = '贵州茅台'.repeat(100);
    expect(foldHan(s)).toBe(s);
  });
});

describe('index, query and snippet fold alike', () => {
  test('traditional and simplified text make the same tokens', () => {
    expect(indexTokens('中國聯通(600050)')).toBe('中国 国联 联通 600050');
    expect(indexTokens('中國聯通')).toBe(indexTokens('中国联通'));
    // Full-width forms are NFKC-normalized before folding.
    expect(indexTokens('ＡＢＣ聯通')).toBe('abc 联通');
  });

  test('a traditional query makes the simplified tokens', () => {
    expect(queryTerms('聯通').map((t) => t.tokens)).toEqual([['联通']]);
    expect(queryTerms('聯').map((t) => [t.tokens, t.prefix])).toEqual([[['联'], true]]);
    // Written both ways it is one term.
    expect(queryTerms('聯通 联通')).toHaveLength(1);
  });

  test('snippets mark the words as written, whichever script the query uses', () => {
    const text = '公告：中國聯通與中國電信簽署協議。';
    expect(highlightSnippet(text, '联通')).toBe('公告：中國<mark>聯通</mark>與中國電信簽署協議。');
    expect(highlightSnippet('中国联通公告', '聯通')).toBe('中国<mark>联通</mark>公告');
    // A full-width character before the match shifts nothing.
    expect(highlightSnippet('ＡＢ中國聯通', '联通 ab')).toBe('<mark>ＡＢ</mark>中國<mark>聯通</mark>');
  });
});

describe(`search over an archive written in both scripts (${BACKEND})`, () => {
  const TRADITIONAL_POST = '2022-06-20-traditional.md';
  const BODY = '中華電信與中國聯通簽署合作協議';
  let api: Awaited<ReturnType<typeof sampleApi>>;

  beforeAll(async () => {
    api = await sampleApiWith(
      TRADITIONAL_POST,
      `---\nlayout: post\ntitle: "聯通合作"\ndate: 2022-06-20 10:00:00 +0800\n---\n${BODY}\n`,
    );
  });
  afterAll(() => api.close());
  const titles = (query: string) => searchTitles(api, query);

  test('聯通 finds the simplified posts and 联通 the traditional one: the same hits', async () => {
    const simplified = await titles('联通');
    const traditional = await titles('聯通');
    expect(traditional).toEqual(simplified);
    expect(simplified).toContain('聯通合作');
    // The real sample's 中国联通 coverage is found by the traditional spelling.
    expect(simplified.length).toBeGreaterThan(1);
    expect(await titles('中華電信')).toEqual(['聯通合作']);
    expect(await titles('中华电信')).toEqual(['聯通合作']);
  });

  test('an index written before folding is tokenized again by the migration', async () => {
    const [{ id }] = await api.query<{ id: number }>('SELECT id FROM post WHERE title = ?', '聯通合作');
    // Back before the migration, with this post's tokens as the unfolding tokenizer wrote them.
    const before = async () =>
      (await api.ds.query<{ name: string }[]>(`SELECT name FROM migrations`)).some((r) =>
        r.name.includes('SearchFold'),
      );
    while (await before()) await api.ds.undoLastMigration({ transaction: 'each' });
    const bigrams = (s: string) =>
      [...s]
        .slice(1)
        .map((c, i) => [...s][i] + c)
        .join(' ');
    const unfolded = { title: bigrams('聯通合作'), body: bigrams(BODY) };
    if (BACKEND === 'postgres') {
      await api.exec('UPDATE post_search SET tsv = CAST(? AS tsvector) WHERE post_id = ?', searchVector(unfolded), id);
    } else {
      await api.exec('DELETE FROM post_fts WHERE rowid = ?', id);
      await api.exec('INSERT INTO post_fts (rowid, title, body) VALUES (?, ?, ?)', id, unfolded.title, unfolded.body);
    }
    expect(await titles('中华电信')).toEqual([]);
    expect(await titles('中華電信')).toEqual([]);

    await api.ds.runMigrations({ transaction: 'each' });
    expect(await titles('中華電信')).toEqual(['聯通合作']);
    expect((await titles('联通')).length).toBeGreaterThan(1);
  });
});
