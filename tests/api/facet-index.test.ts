import fs from 'node:fs';
import path from 'node:path';
import { generateArchive } from '../../bench/gen/main';
import { importArchives } from '../../src/db/importer';
import type { FacetCounts } from '../../src/db/queries/facet-counts';
import { FacetIndex, type FacetIndexOptions } from '../../src/db/queries/facet-index';
import type { PostFilterSpec } from '../../src/db/queries/post-filter';
import { postsFacets } from '../../src/db/queries/post-facets';
import type { SearchSpec } from '../../src/db/queries/search';
import { searchSpecOf } from '../../src/graphql/resolvers/search-connection';
import { copyTree, SEED, tempDatabase, TempDatabase, tempDir } from '../helpers/db';

// The facet columns (src/db/queries/facet-index.ts) count a set in memory: every count must be what
// the counting statement gives for the same set, on the real finews posts plus generated ones, and
// stay so while imports edit, remove and add posts (the columns follow the change feed).

const DAY = 86_400_000;

let t: TempDatabase;
let archive: string;
let generated: string;

/** A count as plain data: every entity of every kind (not only the largest), in id order. */
const plain = (c: FacetCounts) => ({
  total: c.total,
  byKind: Object.fromEntries(Object.entries(c.byKind).map(([k, m]) => [k, [...m].sort((a, b) => a[0] - b[0])])),
  days: c.days,
});

const errors: unknown[] = [];
const index = (opts: Partial<FacetIndexOptions> = {}) =>
  new FacetIndex(t.store.runner, { maxBytes: 64 << 20, onError: (e) => errors.push(e), ...opts });

async function importAll(): Promise<void> {
  await importArchives(t.writeStore, [archive, generated], { workers: 0, prune: true });
}

beforeAll(async () => {
  t = await tempDatabase();
  archive = copyTree(SEED, path.join(tempDir(), 'finews'));
  generated = path.join(tempDir(), 'generated');
  await generateArchive({ posts: 300, out: generated, seed: 5, force: true });
  await importAll();
}, 60_000);
afterAll(() => t.close());
beforeEach(() => (errors.length = 0));

const column = async (sql: string) => (await t.query<{ v: string }>(sql)).map((r) => r.v);

/** Filters and searches over the archive's own values: single links, combinations, dates, titles. */
async function sets(): Promise<{ name: string; filter?: PostFilterSpec; search: SearchSpec | null }[]> {
  const top = (table: string, col: string, entity: string, key: string) =>
    column(
      `SELECT e.${key} AS v FROM ${table} x JOIN ${entity} e ON e.id = x.${col} GROUP BY e.id, e.${key} ORDER BY count(*) DESC, e.id LIMIT 3`,
    );
  const [categories, tags, stocks, boards] = await Promise.all([
    top('post_category', 'category_id', 'category', 'slug'),
    top('post_tag', 'tag_id', 'tag', 'name'),
    top('post_stock', 'stock_id', 'stock', 'symbol'),
    top('post_board', 'board_id', 'board', 'code'),
  ]);
  const publishers = await column(
    'SELECT p.publisher_id AS v FROM post p WHERE p.publisher_id IS NOT NULL GROUP BY p.publisher_id ORDER BY count(*) DESC LIMIT 2',
  );
  // Two stocks some posts link both of: a set from the link table alone must list those posts once.
  const shared = await column(
    `SELECT s.symbol AS v FROM (SELECT a.stock_id AS x, b.stock_id AS y FROM post_stock a JOIN post_stock b ON b.post_id = a.post_id AND b.stock_id > a.stock_id
       GROUP BY a.stock_id, b.stock_id ORDER BY count(*) DESC, a.stock_id, b.stock_id LIMIT 1) p JOIN stock s ON s.id IN (p.x, p.y) ORDER BY s.id`,
  );
  expect(shared).toHaveLength(2);
  const mid = Number((await column('SELECT date_ms AS v FROM post ORDER BY date_ms LIMIT 1 OFFSET 200'))[0]);
  const search = (q: string, filter?: PostFilterSpec) => {
    const s = searchSpecOf(q, undefined);
    return { ...s, filter };
  };
  return [
    { name: 'largest category', filter: { categories: [categories[0]] }, search: null },
    { name: 'two categories', filter: { categories: categories.slice(1, 3) }, search: null },
    { name: 'a tag', filter: { tags: [tags[0]] }, search: null },
    { name: 'two stocks that share posts', filter: { stockSymbols: shared }, search: null },
    { name: 'all of two stocks', filter: { stocksAll: shared.map((x) => [x]) }, search: null },
    { name: 'a stock', filter: { stockSymbols: [stocks[0]] }, search: null },
    { name: 'a board', filter: { boards: [boards[0]] }, search: null },
    { name: 'an organization', filter: { organizationIds: [Number(publishers[0])] }, search: null },
    { name: 'a category after a date', filter: { categories: [categories[0]], dateFrom: mid }, search: null },
    {
      name: 'a stock in a window',
      filter: { stockSymbols: [stocks[0]], dateFrom: mid - 400 * DAY, dateTo: mid },
      search: null,
    },
    { name: 'two boards before a date', filter: { boards: boards.slice(0, 2), dateTo: mid }, search: null },
    { name: 'or', filter: { or: [{ tags: [tags[1]] }, { stockSymbols: [stocks[1]] }] }, search: null },
    { name: 'not', filter: { not: { categories: [categories[0]] } }, search: null },
    { name: 'title', filter: { titleContains: '公司' }, search: null },
    { name: 'nothing matches', filter: { tags: ['no such tag'] }, search: null },
    { name: 'a search', search: search('公司') },
    { name: 'a search and a filter', search: search('股份', { not: { stockSymbols: [stocks[0]] } }) },
    { name: 'a symbol search', search: search(stocks[0]) },
  ];
}

async function expectSameCounts(idx: FacetIndex): Promise<void> {
  for (const s of await sets()) {
    const inSql = plain(await postsFacets(t.store.runner(), s.filter, s.search, null));
    const inMemory = plain(await postsFacets(t.store.runner(), s.filter, s.search, idx));
    expect({ name: s.name, ...inMemory }).toEqual({ name: s.name, ...inSql });
    if (s.name !== 'nothing matches')
      expect({ name: s.name, empty: inSql.total === 0 }).toEqual({ name: s.name, empty: false });
  }
}

test('the columns count every set as the statement does', async () => {
  const idx = index();
  expect(idx.ready).toBe(false);
  await idx.build();
  expect(idx.ready).toBe(true);
  const before = idx.stats().sets;
  await expectSameCounts(idx);
  // Every set but the empty search was counted by the columns.
  expect(idx.stats().sets - before).toBeGreaterThanOrEqual(14);
  expect((await sets()).find((s) => s.name === 'largest category')).toBeTruthy();
  expect(errors).toEqual([]);
});

test('a set counts in SQL until the columns are built; the first facets start the build', async () => {
  const idx = index();
  const filter = { tags: [(await column('SELECT name AS v FROM tag ORDER BY id LIMIT 1'))[0]] };
  const first = await postsFacets(t.store.runner(), filter, null, idx);
  expect(idx.stats().sets).toBe(0);
  // That set started the build (or it is done already).
  expect(idx.stats().building || idx.stats().builds === 1).toBe(true);
  // Waited for, not asked again: build() after that build ended would start a second one.
  for (let i = 0; i < 500 && !idx.ready; i++) await new Promise((r) => setTimeout(r, 10));
  expect(idx.stats().builds).toBe(1);
  expect(plain(await postsFacets(t.store.runner(), filter, null, idx))).toEqual(plain(first));
  expect(idx.stats().sets).toBe(1);
});

function rewrite(root: string, rel: string, edit: (s: string) => string): void {
  const file = path.join(root, rel);
  fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  const when = new Date(Date.now() + 120_000);
  fs.utimesSync(file, when, when);
}

const NIO = '_posts/2022-05-26-202205262391921712.md';

/** Adds `n` generated posts to the finews copy's `_posts`; returns a function that removes them. */
async function addPosts(n: number, seed: number): Promise<() => void> {
  const out = path.join(tempDir(), 'extra');
  await generateArchive({ posts: n, out, seed, force: true });
  const added: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) {
        const to = path.join(archive, '_posts', e.name);
        fs.copyFileSync(p, to);
        added.push(to);
      }
    }
  };
  walk(path.join(out, '_posts'));
  expect(added).toHaveLength(n);
  return () => added.forEach((f) => fs.rmSync(f));
}

test('imports that edit, remove and add posts reach the columns through the feed, with no rebuild', async () => {
  const idx = index();
  await idx.build();
  // A post that changes its categories, tags and the stocks it links; one removed; one added.
  rewrite(archive, NIO, (s) =>
    s
      .replace(/^tags:.*$/m, 'tags: [facet-index-tag, 东财滚动新闻]')
      .replace(
        /\n---\n/,
        '\n---\n<a data-code="1,600519" href="http://quote.eastmoney.com/unify/r/1.600519">贵州茅台</a>\n',
      ),
  );
  const year = path.join(generated, '_posts', fs.readdirSync(path.join(generated, '_posts'))[0]);
  const month = path.join(year, fs.readdirSync(year)[0]);
  fs.rmSync(path.join(month, fs.readdirSync(month)[0]));
  fs.writeFileSync(
    path.join(archive, '_posts', '2022-07-01-facet-index-new.md'),
    '---\ntitle: 新文章\ncategories: [facetcheck]\ntags: [facet-index-tag]\n---\n<p>贵州茅台公司公告</p>\n',
  );
  await importAll();
  await expectSameCounts(idx);
  for (const filter of [
    { categories: ['facetcheck'] },
    { tags: ['facet-index-tag'] },
    { stockSymbols: ['600519.SH'] },
  ]) {
    const inSql = plain(await postsFacets(t.store.runner(), filter, null, null));
    expect(plain(await postsFacets(t.store.runner(), filter, null, idx))).toEqual(inSql);
    expect(inSql.total).toBeGreaterThanOrEqual(filter.tags ? 2 : 1);
  }
  expect(idx.stats().builds).toBe(1);
  expect(idx.stats().patched).toBeGreaterThanOrEqual(3);
  expect(errors).toEqual([]);
});

test('more changes than a sync reads: the columns are built again, and meanwhile SQL counts', async () => {
  const idx = index({ maxChanges: 1 });
  await idx.build();
  const remove = await addPosts(5, 99);
  await importAll();
  const filter = { not: { tags: ['no such tag'] } };
  const inSql = plain(await postsFacets(t.store.runner(), filter, null, null));
  const sets = idx.stats().sets;
  expect(plain(await postsFacets(t.store.runner(), filter, null, idx))).toEqual(inSql);
  expect(idx.stats().sets).toBe(sets); // counted in SQL: the columns are being built again
  await idx.build();
  const builds = idx.stats().builds;
  expect(builds).toBeGreaterThanOrEqual(2);
  expect(plain(await postsFacets(t.store.runner(), filter, null, idx))).toEqual(inSql);
  expect(idx.stats().sets).toBe(sets + 1);
  // Removing them again: more than a sync reads, so built again.
  remove();
  await importAll();
  await postsFacets(t.store.runner(), filter, null, idx);
  await idx.build();
  expect(idx.stats().builds).toBeGreaterThan(builds);
  await expectSameCounts(idx);
});

test('a post the feed has not shown yet (a replica behind, a race) is read when its set is counted', async () => {
  const idx = index();
  await idx.build();
  const remove = await addPosts(4, 123);
  await importAll();
  // The feed forgets them (as a lagging replica would not show them yet).
  const head = Number((await column("SELECT value AS v FROM read_model_state WHERE name = 'change_seq'"))[0]);
  const before = Number((await column('SELECT max(seq) AS v FROM post_change'))[0]);
  expect(before).toBe(head);
  await t.exec('DELETE FROM post_change WHERE seq > ?', head - 4);
  await expectSameCounts(idx);
  const all = { not: { tags: ['no such tag'] } };
  expect(plain(await postsFacets(t.store.runner(), all, null, idx))).toEqual(
    plain(await postsFacets(t.store.runner(), all, null, null)),
  );
  expect(idx.stats().builds).toBe(1);
  remove();
  await importAll();
});

test('past its memory bound the index gives up, says so, and facets count in SQL', async () => {
  const idx = index({ maxBytes: 1000 });
  await idx.build();
  expect(idx.ready).toBe(false);
  expect(String(errors[0])).toMatch(/NEWSGRAPH_FACET_INDEX_MB/);
  const filter = { categories: [(await column('SELECT slug AS v FROM category ORDER BY id LIMIT 1'))[0]] };
  expect(plain(await postsFacets(t.store.runner(), filter, null, idx))).toEqual(
    plain(await postsFacets(t.store.runner(), filter, null, null)),
  );
  expect(idx.stats().builds).toBe(0);
});

test('a damaged post_links row: the build fails with the post named, facets still count in SQL', async () => {
  const victim = Number((await column('SELECT post_id AS v FROM post_links ORDER BY post_id LIMIT 1'))[0]);
  const saved = (await column(`SELECT links AS v FROM post_links WHERE post_id = ${victim}`))[0];
  await t.exec('UPDATE post_links SET links = ? WHERE post_id = ?', '{not json', victim);
  try {
    const idx = index({ retryMs: 0 });
    await idx.build();
    expect(idx.ready).toBe(false);
    expect(String(errors[0])).toMatch(new RegExp(`post ${victim}.*reindex`));
    const filter = { not: { tags: ['no such tag'] } };
    const inSql = plain(await postsFacets(t.store.runner(), filter, null, null));
    expect(plain(await postsFacets(t.store.runner(), filter, null, idx))).toEqual(inSql);
    // That set started another try (retryMs 0): let it fail on the damaged row before mending it.
    for (let i = 0; i < 500 && idx.stats().building; i++) await new Promise((r) => setTimeout(r, 10));
    expect(idx.stats().building).toBe(false);
    await t.exec('UPDATE post_links SET links = ? WHERE post_id = ?', saved, victim);
    await idx.build();
    expect(idx.ready).toBe(true);
    expect(plain(await postsFacets(t.store.runner(), filter, null, idx))).toEqual(inSql);
  } finally {
    await t.exec('UPDATE post_links SET links = ? WHERE post_id = ?', saved, victim);
  }
});
