// A search page is the slice of the full ranking that its offset and size say, whatever it reads to
// get there: checked against the ranking computed here from the contract's definition (text
// relevance from each database's own scorer, posts linked to a named stock first, ties newest
// first, then the higher id; past the bound, only the most recently stored text matches).
import { filterSql, type PostFilterSpec } from '../../src/db/queries/post-filter';
import { RANKED_TEXT_LIMIT, searchCount, searchPage, type SearchSpec } from '../../src/db/queries/search';
import { highlightSnippet } from '../../src/ingest/search';
import { searchSpecOf } from '../../src/graphql/resolvers/search-connection';
import { sampleApi } from '../helpers/api';
import { BACKEND } from '../helpers/db';

let api: Awaited<ReturnType<typeof sampleApi>>;
let dates: Map<number, number>;

beforeAll(async () => {
  api = await sampleApi();
  await makeTies();
  const rows = await api.query<{ id: number; d: number | string }>('SELECT id, date_ms AS d FROM post');
  dates = new Map(rows.map((r) => [Number(r.id), Number(r.d)]));
});
afterAll(() => api.close());

/**
 * A word in no post of the sample, given with 中国 and CODE to posts whose index rows are then
 * identical: exact ties. CODE is the code of a stock two posts link (港交所), and the tied posts
 * are linked to it too, so a search for it finds linked posts and text matches.
 */
const TIE = 'zqtie';
const CODE = '00388';
const TIED = 12;

/** A stock's post count as the import keeps it, after links were added here (search reads it as a hint). */
async function recount(code: string): Promise<void> {
  await api.exec(
    'UPDATE stock SET coverage_count = (SELECT count(*) FROM post_stock x WHERE x.stock_id = stock.id) WHERE code = ?',
    code,
  );
}

/** Gives TIED posts of spread dates (some sharing a date, so ids break ties too) the same index row. */
async function makeTies(): Promise<void> {
  const posts = await api.query<{ id: number }>('SELECT id FROM post ORDER BY date_ms, id');
  const picked = posts.filter((_, i) => i % Math.floor(posts.length / TIED) === 0).slice(0, TIED);
  // Two posts of one date: the id decides between them.
  const day = await api.query<{ id: number }>(
    'SELECT p.id FROM post p WHERE (SELECT count(*) FROM post q WHERE q.date_ms = p.date_ms) > 1 ORDER BY p.id LIMIT 2',
  );
  // Most of the tied posts are linked to that stock too, so its linked posts fill pages of a few
  // (the pages read from its index range alone) and some of its text matches are not linked.
  // The most recently stored ones: a bounded ranking then leaves out text matches that are not linked.
  const linked = [...picked].sort((a, b) => b.id - a.id).slice(0, TIED / 2);
  await api.exec(
    `INSERT INTO post_stock (post_id, stock_id, date_ms, count, embed_count, link_count, text_count)
     SELECT p.id, s.id, p.date_ms, 1, 0, 1, 0 FROM post p, stock s
     WHERE s.code = ? AND p.id IN (${linked.map(() => '?').join(', ')})
       AND NOT EXISTS (SELECT 1 FROM post_stock x WHERE x.post_id = p.id AND x.stock_id = s.id)`,
    CODE,
    ...linked.map((p) => p.id),
  );
  await recount(CODE);
  for (const { id } of [...picked, ...day]) {
    if (BACKEND === 'postgres') {
      await api.exec(
        `UPDATE post_search SET tsv = CAST('${TIE}:1 中国:2 ${CODE}:3' AS tsvector) WHERE post_id = ?`,
        id,
      );
    } else {
      await api.exec('DELETE FROM post_fts WHERE rowid = ?', id);
      await api.exec('INSERT INTO post_fts (rowid, title, body) VALUES (?, ?, ?)', id, '', `${TIE} 中国 ${CODE}`);
    }
  }
}

interface Ranked {
  id: number;
  score: number;
}

/** Every hit in order, from the definition: the scorer's score of each text match, -1000 for a link. */
async function fullRanking(
  spec: SearchSpec,
  textLimit: number,
): Promise<{ ranked: Ranked[]; all: number; textMatches: number; linkedOfOneStock: number }> {
  const best = new Map<number, number>();
  const add = (id: number, score: number) => best.set(id, Math.min(score, best.get(id) ?? Infinity));
  let allowed: Set<number> | null = null;
  if (spec.filter) {
    const f = filterSql(spec.filter, api.store.runner().dialect);
    const rows = await api.query<{ id: number }>(
      `SELECT p.id FROM post p ${f.where.length ? `WHERE ${f.where.join(' AND ')}` : ''}`,
      ...f.params,
    );
    allowed = new Set(rows.map((r) => Number(r.id)));
  }
  const keep = (id: number) => allowed === null || allowed.has(id);
  const every = new Set<number>();
  const linkedPosts = new Set<number>();
  let stocks = 0;
  let textMatches = 0;
  if (spec.terms.length) {
    const matches =
      BACKEND === 'postgres'
        ? await api.query<Ranked>(
            `SELECT post_id AS id, -ts_rank('{0.1, 0.1, 0.1, 1.0}', tsv, CAST(? AS tsquery)) AS score
             FROM post_search WHERE tsv @@ CAST(? AS tsquery)`,
            api.store.runner().dialect.matchParam(spec.terms),
            api.store.runner().dialect.matchParam(spec.terms),
          )
        : await api.query<Ranked>(
            'SELECT rowid AS id, bm25(post_fts, 10.0, 1.0) AS score FROM post_fts WHERE post_fts MATCH ?',
            api.store.runner().dialect.matchParam(spec.terms),
          );
    const kept = matches.filter((m) => keep(Number(m.id))).sort((a, b) => Number(b.id) - Number(a.id));
    kept.forEach((m) => every.add(Number(m.id)));
    textMatches = kept.length;
    for (const m of kept.slice(0, textLimit)) add(Number(m.id), Number(m.score));
  }
  if (spec.symbols.length || spec.names.length) {
    const linked = await api.query<{ id: number; stock: number }>(
      `SELECT x.post_id AS id, x.stock_id AS stock FROM post_stock x JOIN stock s ON s.id = x.stock_id
       WHERE s.symbol IN (${['', ...spec.symbols].map(() => '?').join(', ')})
          OR s.name IN (${['', ...spec.names].map(() => '?').join(', ')})`,
      '',
      ...spec.symbols,
      '',
      ...spec.names,
    );
    stocks = new Set(linked.map((l) => Number(l.stock))).size;
    for (const { id } of linked.filter((l) => keep(Number(l.id)))) {
      add(Number(id), -1000);
      every.add(Number(id));
      linkedPosts.add(Number(id));
    }
  }
  const ranked = [...best].map(([id, score]) => ({ id, score }));
  ranked.sort((a, b) => a.score - b.score || dates.get(b.id)! - dates.get(a.id)! || b.id - a.id);
  return { ranked, all: every.size, textMatches, linkedOfOneStock: stocks === 1 ? linkedPosts.size : 0 };
}

/** Every page of `size` (and one past the end) equals the ranking's slice, and says if more follow. */
async function expectPagesMatch(spec: SearchSpec, size: number, textLimit: number): Promise<number> {
  const { ranked, all, textMatches, linkedOfOneStock } = await fullRanking(spec, textLimit);
  for (let offset = 0; offset <= ranked.length; offset += size) {
    const page = await searchPage(api.store.runner(), spec, offset, size, { textLimit });
    const want = ranked.slice(offset, offset + size);
    expect(page.rows.map((r) => ({ id: Number(r.id), score: Number(r.score) }))).toEqual(want);
    expect(page.hasMore).toBe(ranked.length > offset + size);
    // A count that comes with the page is right; it comes whenever the page ranked every hit,
    // and never when one named stock's linked posts filled it (nothing was ranked).
    if (page.count !== null) expect(page.count).toEqual({ count: all, exact: true });
    const linkedFill = linkedOfOneStock > offset + size;
    if (page.rows.length && textMatches < textLimit) expect(page.count === null).toBe(linkedFill);
  }
  expect(await searchCount(api.store.runner(), spec)).toEqual({ count: all, exact: true });
  return ranked.length;
}

const spec = (query: string, filter?: Parameters<typeof searchSpecOf>[1]) => searchSpecOf(query, filter);

describe('a page is the slice of the full ranking', () => {
  test.each([
    ['a two-character word', '联通'],
    ['a common word', '中国'],
    ['a very common word', '公司'],
    ['a longer phrase', '中国联通'],
    ['two terms', '中国 公司'],
    ['a lone character (prefix)', '茅'],
    ['a code: linked posts first, then text', '600050'],
    ['a US ticker', 'NIO'],
    ['a Latin word', 'etf'],
    ['a code that is linked and in text', CODE],
    ['a stock name: its linked posts first, then text', '港交所'],
    ['a stock name in traditional characters', '貴州茅台'],
    ['a stock name with a Latin letter typed lower-case', '三叶草生物-b'],
    ['exact ties (same index rows)', TIE],
    ['exact ties among other matches', `${TIE} 中国`],
  ])('%s: %p', async (_what, query) => {
    const s = spec(query);
    let seen = 0;
    for (const size of [1, 3, 7, 20, 100]) seen = await expectPagesMatch(s, size, RANKED_TEXT_LIMIT);
    expect(seen).toBeGreaterThan(0);
  });

  test('the ties are ordered newest first, then by the higher id', async () => {
    const { ranked } = await fullRanking(spec(TIE), RANKED_TEXT_LIMIT);
    expect(ranked.length).toBeGreaterThanOrEqual(TIED);
    expect(new Set(ranked.map((r) => r.score)).size).toBe(1);
    const sameDay = ranked.filter((r, i) => i > 0 && dates.get(ranked[i - 1].id) === dates.get(r.id));
    expect(sameDay.length).toBeGreaterThan(0);
  });

  test.each<[string, string, PostFilterSpec, boolean]>([
    ['a category', '公司', { categories: ['emnews'] }, true],
    ['a date range', '中国', { dateFrom: Date.UTC(2022, 0, 1), dateTo: Date.UTC(2022, 5, 30) }, true],
    ['a code and a category', CODE, { categories: ['emnews'] }, true],
    ['nothing left', '中国', { categories: [] }, false],
  ])('with a filter: %s', async (_what, query, filter, some) => {
    const s = { ...spec(query), filter };
    let n = 0;
    for (const size of [3, 20]) n = await expectPagesMatch(s, size, RANKED_TEXT_LIMIT);
    expect(n > 0).toBe(some);
    expect(n).toBeLessThan((await fullRanking(spec(query), RANKED_TEXT_LIMIT)).ranked.length + (some ? 0 : 1));
  });

  test('with a filter: a stock name and a date range that keeps some of its linked posts', async () => {
    const linked = await api.query<{ d: number | string }>(
      "SELECT x.date_ms AS d FROM post_stock x JOIN stock s ON s.id = x.stock_id WHERE s.name = '港交所' ORDER BY x.date_ms",
    );
    expect(linked.length).toBeGreaterThan(5);
    const s = { ...spec('港交所'), filter: { dateFrom: Number(linked[2].d) } };
    const { linkedOfOneStock } = await fullRanking(s, RANKED_TEXT_LIMIT);
    expect(linkedOfOneStock).toBeGreaterThan(2);
    expect(linkedOfOneStock).toBeLessThan(linked.length);
    for (const size of [1, 2, 20]) await expectPagesMatch(s, size, RANKED_TEXT_LIMIT);
  });

  test('two stocks of one name: the posts of both, newest first', async () => {
    const posts = (await api.query<{ id: number }>('SELECT id FROM post ORDER BY id')).map((r) => Number(r.id));
    const twins = ['600160.SH', '300343.SZ'];
    const before = await api.query<{ symbol: string; name: string }>(
      `SELECT symbol, name FROM stock WHERE symbol IN (?, ?)`,
      ...twins,
    );
    expect(before).toHaveLength(2);
    const linkedTo = async (symbol: string) =>
      new Set(
        (
          await api.query<{ id: number }>(
            'SELECT x.post_id AS id FROM post_stock x JOIN stock s ON s.id = x.stock_id WHERE s.symbol = ?',
            symbol,
          )
        ).map((r) => Number(r.id)),
      );
    // Alternate posts of the archive's span to each, so their dates interleave; not those it has.
    const given: number[][] = [];
    for (const [t, symbol] of twins.entries()) {
      const has = await linkedTo(symbol);
      // The first post goes to both: one hit.
      given.push(posts.filter((id, i) => (i % 10 === t || i === 0) && !has.has(id)).slice(0, 6));
    }
    try {
      for (const [t, symbol] of twins.entries()) {
        await api.exec("UPDATE stock SET name = 'zqtwin' WHERE symbol = ?", symbol);
        await api.exec(
          `INSERT INTO post_stock (post_id, stock_id, date_ms, count, embed_count, link_count, text_count)
           SELECT p.id, s.id, p.date_ms, 1, 0, 1, 0 FROM post p, stock s
           WHERE s.symbol = ? AND p.id IN (${given[t].map(() => '?').join(', ')})`,
          symbol,
          ...given[t],
        );
        await recount(symbol.split('.')[0]);
      }
      for (const size of [1, 2, 3, 20])
        expect(await expectPagesMatch(spec('zqtwin'), size, RANKED_TEXT_LIMIT)).toBeGreaterThan(10);
      // Named with no text to match (a name the index keeps no token of): the links alone, each post once.
      const linkedOnly = { terms: [], symbols: [], names: ['zqtwin'] };
      const { all } = await fullRanking(linkedOnly, RANKED_TEXT_LIMIT);
      const rows = await api.query<{ id: number }>(
        "SELECT x.post_id AS id FROM post_stock x JOIN stock s ON s.id = x.stock_id WHERE s.name = 'zqtwin'",
      );
      expect(all).toBe(new Set(rows.map((r) => Number(r.id))).size);
      expect(all).toBeLessThan(rows.length);
      await expectPagesMatch(linkedOnly, 4, RANKED_TEXT_LIMIT);
    } finally {
      for (const [t, { symbol, name }] of before.entries()) {
        await api.exec('UPDATE stock SET name = ? WHERE symbol = ?', name, symbol);
        await api.exec(
          `DELETE FROM post_stock WHERE stock_id = (SELECT id FROM stock WHERE symbol = ?) AND post_id IN (${given[t].map(() => '?').join(', ')})`,
          symbol,
          ...given[t],
        );
        await recount(symbol.split('.')[0]);
      }
    }
  });

  test.each([
    ['FTS5 syntax', '"*( NEAR(联通 中国) OR {title}: 联通 ^中国'],
    ['SQL', "' OR 1=1 -- ; DROP TABLE post"],
    ['tsquery syntax', "联通 & !中国 | '公司':* <-> x"],
    ['control and odd characters', '\u0000联通\u200b 😀 𠀀 ＮＩＯ'],
    ['long', '联通中国公司'.repeat(30)],
    ['nothing searchable', '"*()'],
  ])('hostile queries: %s', async (_what, query) => {
    const s = spec(query);
    for (const size of [3, 20]) await expectPagesMatch(s, size, RANKED_TEXT_LIMIT);
  });
});

describe('bounded ranking', () => {
  test.each([
    ['a common word', '中国'],
    ['a very common word', '公司'],
    ['a code: every linked post, and the bounded text matches', CODE],
  ])('past the bound only the most recently stored text matches are ranked: %s', async (_what, query) => {
    const s = spec(query);
    const { all } = await fullRanking(s, Infinity);
    for (const bound of [1, 5, 9]) {
      const n = await expectPagesMatch(s, 4, bound);
      expect(n).toBeLessThan(all);
      expect(n).toBeGreaterThanOrEqual(bound);
    }
    // A page of a bounded ranking leaves the count to the count statement, which counts every hit.
    const page = await searchPage(api.store.runner(), s, 0, 4, { textLimit: 5 });
    expect(page.count).toBeNull();
    expect(await searchCount(api.store.runner(), s)).toEqual({ count: all, exact: true });
  });

  test('a filter applies before the bound: the bound takes the most recent matches the filter keeps', async () => {
    const { ranked } = await fullRanking(spec('公司'), Infinity);
    const newest = Math.max(...ranked.map((r) => r.id));
    // Leaves out the most recently stored match (and whatever shares its date or is later).
    const s = { ...spec('公司'), filter: { dateTo: dates.get(newest)! - 1 } };
    const { all } = await fullRanking(s, Infinity);
    expect(all).toBeGreaterThan(9);
    for (const bound of [1, 5, 9]) expect(await expectPagesMatch(s, 4, bound)).toBe(bound);
  });

  test('at the bound or under it, the ranking is complete', async () => {
    const s = spec('中国');
    const { ranked } = await fullRanking(s, Infinity);
    const page = await searchPage(api.store.runner(), s, 0, 100, { textLimit: ranked.length + 1 });
    expect(page.rows.map((r) => Number(r.id))).toEqual(ranked.slice(0, 100).map((r) => r.id));
    expect(page.count).toEqual({ count: ranked.length, exact: true });
  });

  test('the page counts up to its count limit', async () => {
    const s = spec('中国');
    const { all } = await fullRanking(s, Infinity);
    const page = await searchPage(api.store.runner(), s, 0, 3, { countLimit: all - 1 });
    expect(page.count).toEqual({ count: all - 1, exact: false });
    const exact = await searchPage(api.store.runner(), s, 0, 3, { countLimit: all });
    expect(exact.count).toEqual({ count: all, exact: true });
  });
});

describe('through GraphQL', () => {
  const SEARCH = `query($q: String!, $after: String, $first: Int) {
    search(query: $q, first: $first, after: $after) {
      totalCount totalCountExact pageInfo { hasNextPage endCursor }
      edges { score snippet node { id url text } } } }`;

  test.each(['中国', '600050', TIE, '港交所', CODE])(
    'walking the pages by cursor gives the ranking, with each post’s own snippet: %p',
    async (q) => {
      const { ranked, all } = await fullRanking(spec(q), RANKED_TEXT_LIMIT);
      const urls = new Map(
        (await api.query<{ id: number; url: string }>('SELECT id, url FROM post')).map((r) => [Number(r.id), r.url]),
      );
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const d: any = await api.ok(SEARCH, { q, after, first: 7 });
        expect(d.search.totalCount).toBe(all);
        expect(d.search.totalCountExact).toBe(true);
        for (const e of d.search.edges) {
          seen.push(e.node.url);
          expect(e.snippet).toBe(highlightSnippet(e.node.text, q));
        }
        if (!d.search.pageInfo.hasNextPage) break;
        after = d.search.pageInfo.endCursor;
      }
      expect(seen).toEqual(ranked.map((r) => urls.get(r.id)));
    },
  );

  test('a page past the end is empty and still counts', async () => {
    const { all } = await fullRanking(spec('联通'), RANKED_TEXT_LIMIT);
    const after = Buffer.from(JSON.stringify(['search', all + 5])).toString('base64url');
    const d: any = await api.ok(SEARCH, { q: '联通', after, first: 3 });
    expect(d.search.edges).toEqual([]);
    expect(d.search.totalCount).toBe(all);
  });

  const statements = async (q: string, first: number, count = true) => {
    const r = await api.run(
      `{ search(query: "${q}", first: ${first}) { ${count ? 'totalCount' : ''} edges { snippet node { id } } } }`,
    );
    expect(r.errors).toBeUndefined();
    return r.statements;
  };

  test('one statement for the page and its count, whatever the page size, and one before it for a single word', async () => {
    // A single word may name a stock: the statement that looks it up comes first.
    expect(await statements('中国', 1)).toBe(2);
    expect(await statements('中国', 100)).toBe(2);
    expect(await statements('中国 公司', 1)).toBe(1);
    expect(await statements('中国 公司', 100)).toBe(1);
  });

  test('a stock whose linked posts fill the page: a statement for the page, one for the count', async () => {
    const { linkedOfOneStock: linked } = await fullRanking(spec('港交所'), RANKED_TEXT_LIMIT);
    expect(linked).toBeGreaterThan(3);
    // The stock looked up, then its page; the count apart.
    expect(await statements('港交所', linked - 1, false)).toBe(2);
    expect(await statements('港交所', linked - 1)).toBe(3);
    // Its post count says they cannot fill a page of all of them and one more: the ranking decides.
    expect(await statements('港交所', linked, false)).toBe(2);
    expect(await statements('港交所', linked)).toBe(2);
  });
});
