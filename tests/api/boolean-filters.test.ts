import { parse } from 'graphql';
import { buildNewsgraphSchema } from '../../src/graphql/schema';
import { postsMatching } from '../../src/db/queries/post-matches';
import { toFilterSpec } from '../../src/graphql/resolvers/filter-spec';
import { fromGlobalId } from '../../src/graphql/relay/node-id';
import { checkCost } from '../../src/server/limits';
import { sampleApi } from '../helpers/api';

// Boolean post filters on the real finews sample: each answer is compared with set algebra over
// the answers of simple filters, and titleContains with the titles themselves.

let api: Awaited<ReturnType<typeof sampleApi>>;
let all: Post[];

interface Post {
  id: string;
  title: string;
  date: string;
}

beforeAll(async () => {
  api = await sampleApi();
  all = await posts(undefined);
});
afterAll(() => api.close());

/** Every post a filter lists, paging through (and its totalCount checked against them). */
async function posts(filter: unknown): Promise<Post[]> {
  const out: Post[] = [];
  let after: string | null = null;
  let total = -1;
  for (;;) {
    const d: any = await api.ok(
      `query($f: PostFilter, $after: String) { posts(filter: $f, first: 100, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id title date } } } }`,
      { f: filter, after },
    );
    total = d.posts.totalCount;
    out.push(...d.posts.edges.map((e: any) => e.node));
    if (!d.posts.pageInfo.hasNextPage) break;
    after = d.posts.pageInfo.endCursor;
  }
  expect(total).toBe(out.length);
  return out;
}

const ids = async (filter: unknown) => new Set((await posts(filter)).map((p) => p.id));
const sorted = (s: Set<string>) => [...s].sort();
const union = (a: Set<string>, b: Set<string>) => new Set([...a, ...b]);
const inter = (a: Set<string>, b: Set<string>) => new Set([...a].filter((x) => b.has(x)));
const minus = (a: Set<string>, b: Set<string>) => new Set([...a].filter((x) => !b.has(x)));

/** Values linked to the most posts: [key, posts] from a link table. */
async function top(sql: string): Promise<string[]> {
  return (await api.query<{ k: string }>(sql)).map((r) => r.k);
}

let stocks: string[];
let tags: string[];
let categories: string[];
let publisher: string;
/** The two stocks most often linked by one post. */
let pair: string[];
beforeAll(async () => {
  const [p] = await api.query<{ a: string; b: string }>(
    `SELECT sa.symbol AS a, sb.symbol AS b FROM post_stock x JOIN post_stock y ON y.post_id = x.post_id AND y.stock_id > x.stock_id
       JOIN stock sa ON sa.id = x.stock_id JOIN stock sb ON sb.id = y.stock_id
     GROUP BY sa.symbol, sb.symbol ORDER BY count(*) DESC, sa.symbol, sb.symbol LIMIT 1`,
  );
  pair = [p.a, p.b];
  stocks = await top(
    `SELECT s.symbol AS k FROM post_stock x JOIN stock s ON s.id = x.stock_id GROUP BY s.symbol ORDER BY count(*) DESC, s.symbol LIMIT 4`,
  );
  tags = await top(
    `SELECT t.name AS k FROM post_tag x JOIN tag t ON t.id = x.tag_id GROUP BY t.name ORDER BY count(*) DESC, t.name LIMIT 4`,
  );
  categories = await top(
    `SELECT c.slug AS k FROM post_category x JOIN category c ON c.id = x.category_id GROUP BY c.slug ORDER BY count(*) DESC, c.slug LIMIT 3`,
  );
  [publisher] = await top(
    `SELECT o.name AS k FROM post p JOIN organization o ON o.id = p.publisher_id GROUP BY o.name ORDER BY count(*) DESC, o.name LIMIT 1`,
  );
});

test('the sample gives every filter something to do', async () => {
  expect(all.length).toBeGreaterThan(100);
  expect(stocks).toHaveLength(4);
  expect(tags.length).toBeGreaterThanOrEqual(2);
  expect(categories.length).toBeGreaterThan(1);
  // Some posts have no publisher: `not` must keep them (NULL is not "not X").
  const [{ n }] = await api.query<{ n: number }>('SELECT count(*) AS n FROM post WHERE publisher_id IS NULL');
  expect(Number(n)).toBeGreaterThan(0);
});

test('or is the union, and the intersection, not the complement', async () => {
  const a = await ids({ stocks: [stocks[0]] });
  const b = await ids({ tags: [tags[0]] });
  expect(a.size).toBeGreaterThan(0);
  expect(b.size).toBeGreaterThan(0);
  expect(sorted(await ids({ or: [{ stocks: [stocks[0]] }, { tags: [tags[0]] }] }))).toEqual(sorted(union(a, b)));
  expect(sorted(await ids({ and: [{ stocks: [stocks[0]] }, { tags: [tags[0]] }] }))).toEqual(sorted(inter(a, b)));
  const everything = new Set(all.map((p) => p.id));
  expect(sorted(await ids({ not: { stocks: [stocks[0]] } }))).toEqual(sorted(minus(everything, a)));
  const published = await ids({ publisher });
  expect(published.size).toBeGreaterThan(0);
  expect(sorted(await ids({ not: { publisher } }))).toEqual(sorted(minus(everything, published)));
});

test('nested filters combine like the sets they stand for', async () => {
  const [s0, s1, t1, c0] = [
    await ids({ stocks: [stocks[0]] }),
    await ids({ stocks: [stocks[1]] }),
    await ids({ tags: [tags[1]] }),
    await ids({ categories: [categories[0]] }),
  ];
  const filter = {
    categories: [categories[0]],
    or: [{ stocks: [stocks[0]] }, { and: [{ stocks: [stocks[1]] }, { not: { tags: [tags[1]] } }] }],
  };
  const expected = inter(c0, union(s0, minus(s1, t1)));
  expect(sorted(await ids(filter))).toEqual(sorted(expected));
  // The same filter written with a top-level and, and with the not moved outside.
  expect(sorted(await ids({ and: [{ categories: [categories[0]] }, { or: filter.or }] }))).toEqual(sorted(expected));
});

test('empty combinations: and [] matches everything, or [] and not {} nothing', async () => {
  expect((await ids({ and: [] })).size).toBe(all.length);
  expect((await ids({ or: [] })).size).toBe(0);
  expect((await ids({ not: {} })).size).toBe(0);
  expect((await ids({ not: { or: [] } })).size).toBe(all.length);
});

test('the ...All lists ask for every value; the plain lists for any', async () => {
  for (const [field, values] of [
    ['stocks', stocks],
    ['tags', tags],
    ['categories', categories],
  ] as const) {
    const [a, b] = [await ids({ [field]: [values[0]] }), await ids({ [field]: [values[1]] })];
    expect(sorted(await ids({ [`${field}All`]: [values[0], values[1]] }))).toEqual(sorted(inter(a, b)));
    expect(sorted(await ids({ [field]: [values[0], values[1]] }))).toEqual(sorted(union(a, b)));
  }
  // Two stocks a post links together (the top ones above never share a post).
  const [a, b] = [await ids({ stocks: [pair[0]] }), await ids({ stocks: [pair[1]] })];
  const both = await ids({ stocksAll: pair });
  expect(both.size).toBeGreaterThan(0);
  expect(sorted(both)).toEqual(sorted(inter(a, b)));
  // A symbol in another accepted form is the same stock.
  const code = stocks[0].split('.')[0];
  expect(sorted(await ids({ stocksAll: [code, stocks[0]] }))).toEqual(sorted(await ids({ stocks: [stocks[0]] })));
});

test('titleContains matches a part of the title; A-Z in either case', async () => {
  const withLatin = all.find((p) => /[A-Za-z]{2,}/.test(p.title));
  expect(withLatin).toBeDefined();
  const word = /[A-Za-z]{2,}/.exec(withLatin!.title)![0];
  const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const expected = all.filter((p) => fold(p.title).includes(fold(word))).map((p) => p.id);
  for (const text of [word, word.toUpperCase(), word.toLowerCase()])
    expect(sorted(await ids({ titleContains: text }))).toEqual([...expected].sort());
  // A Chinese part of a real title.
  const cjk = /[\u4e00-\u9fff]{2}/.exec(all[0].title)![0];
  const cjkExpected = all.filter((p) => p.title.includes(cjk)).map((p) => p.id);
  expect(cjkExpected.length).toBeGreaterThan(0);
  expect(sorted(await ids({ titleContains: cjk }))).toEqual(cjkExpected.sort());
  // LIKE's wildcards are text here.
  for (const text of ['%', '_', '\\', "'"])
    expect(sorted(await ids({ titleContains: text }))).toEqual(
      all
        .filter((p) => p.title.includes(text))
        .map((p) => p.id)
        .sort(),
    );
});

test("a stock's own posts take the same filters (dates from its links)", async () => {
  const d: any = await api.ok(
    `query($s: String!, $f: PostFilter) { stock(symbol: $s) { posts(first: 100, filter: $f) { totalCount edges { node { id } } } } }`,
    { s: stocks[0], f: { or: [{ tags: [tags[0]] }, { dateFrom: '2100-01-01T00:00:00Z' }] } },
  );
  const expected = inter(await ids({ stocks: [stocks[0]] }), await ids({ tags: [tags[0]] }));
  expect(sorted(new Set(d.stock.posts.edges.map((e: any) => e.node.id)))).toEqual(sorted(expected));
  expect(d.stock.posts.totalCount).toBe(expected.size);
});

test('search takes the same filters', async () => {
  const q = `query($f: PostFilter) { search(query: "公司", first: 100, filter: $f) { totalCount edges { node { id } } } }`;
  const hits = async (f: unknown) => {
    const d: any = await api.ok(q, { f });
    expect(d.search.totalCount).toBe(d.search.edges.length);
    return new Set<string>(d.search.edges.map((e: any) => e.node.id));
  };
  const every = await hits(undefined);
  expect(every.size).toBeGreaterThan(3);
  expect(sorted(await hits({ not: { stocks: [stocks[0]] } }))).toEqual(
    sorted(minus(every, await ids({ stocks: [stocks[0]] }))),
  );
});

test('subscriptions decide who hears of a post with the same filters', async () => {
  const filter = {
    or: [{ stocks: [stocks[0]] }, { not: { tags: [tags[0]] } }],
    titleContains: all[0].title.slice(0, 1),
  };
  const dbId = (gid: string) => fromGlobalId(gid)!.id;
  const matched = await postsMatching(
    api.store.runner(),
    all.map((p) => dbId(p.id)),
    toFilterSpec(filter),
  );
  const listed = [...(await ids(filter))].map(dbId);
  expect(listed.length).toBeGreaterThan(0);
  expect([...matched].sort((x, y) => x - y)).toEqual(listed.sort((x, y) => x - y));
});

describe('bounds', () => {
  const nested = (levels: number): Record<string, unknown> =>
    levels === 0 ? { tags: [tags[0]] } : { not: nested(levels - 1) };

  test('filters nest 4 levels deep, not 5; the error names where', async () => {
    await expect(ids(nested(4))).resolves.toBeDefined();
    const r = await api.run(`query($f: PostFilter) { posts(filter: $f) { totalCount } }`, { f: nested(5) });
    expect(r.errors?.[0].message).toBe('filter.not.not.not.not.not: filters nest at most 4 levels deep');
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('at most 32 nested filters; lists and titleContains keep their own bounds', async () => {
    const ok = await api.run(`query($f: PostFilter) { posts(filter: $f) { totalCount } }`, {
      f: { or: Array.from({ length: 32 }, () => ({ tags: [tags[0]] })) },
    });
    expect(ok.errors).toBeUndefined();
    const cases: [unknown, string][] = [
      [
        { or: Array.from({ length: 33 }, () => ({ tags: [tags[0]] })) },
        'filter nests 33 filters in and/or/not; at most 32',
      ],
      [{ or: [{}, { stocks: Array(101).fill('600050') }] }, 'filter.or[1].stocks takes at most 100 values, got 101'],
      [{ and: [{ stocksAll: ['not a symbol!'] }] }, 'filter.and[0].stocksAll:'],
      [{ not: { titleContains: '' } }, 'filter.not.titleContains is empty'],
      [{ titleContains: 'x'.repeat(201) }, 'filter.titleContains is longer than 200 characters'],
    ];
    for (const [f, message] of cases) {
      const r = await api.run(`query($f: PostFilter) { posts(filter: $f) { totalCount } }`, { f });
      expect(r.errors?.[0].message).toContain(message);
    }
  });

  test('each nested filter counts 1 toward the query cost', () => {
    const schema = buildNewsgraphSchema();
    const doc = parse(`query($f: PostFilter) { posts(first: 1, filter: $f) { totalCount } }`);
    const costOf = (f: unknown): number => {
      try {
        checkCost(schema, 0, doc, undefined, { f });
      } catch (err) {
        return Number(/query cost (\d+)/.exec((err as Error).message)![1]);
      }
      throw new Error('no cost reported');
    };
    const flat = costOf({ tags: ['a'] });
    expect(costOf({ or: [{ tags: ['a'] }, { not: { tags: ['b'] } }] })).toBe(flat + 3);
    expect(costOf(undefined)).toBe(flat);
  });
});

describe('search orderBy', () => {
  async function walk(order: string, filter?: unknown) {
    const seen: { id: string; date: string; score: number }[] = [];
    let after: string | null = null;
    let total = -1;
    for (let page = 0; page < 50; page++) {
      const d: any = await api.ok(
        `query($o: SearchOrder, $after: String, $f: PostFilter) { search(query: "公司", first: 4, after: $after, orderBy: $o, filter: $f) {
          totalCount pageInfo { hasNextPage endCursor } edges { score node { id date } } } }`,
        { o: order, after, f: filter },
      );
      total = d.search.totalCount;
      seen.push(...d.search.edges.map((e: any) => ({ id: e.node.id, date: e.node.date, score: e.score })));
      if (!d.search.pageInfo.hasNextPage) break;
      after = d.search.pageInfo.endCursor;
    }
    return { total, seen };
  }

  test('DATE_DESC and DATE_ASC list every hit relevance lists, by date, unranked', async () => {
    const relevance = await walk('RELEVANCE');
    const desc = await walk('DATE_DESC');
    const asc = await walk('DATE_ASC');
    expect(relevance.seen.length).toBeGreaterThan(4);
    for (const r of [desc, asc]) {
      expect(r.total).toBe(relevance.total);
      expect(r.seen.map((h) => h.id).sort()).toEqual(relevance.seen.map((h) => h.id).sort());
      expect(r.seen.every((h) => h.score === 0)).toBe(true);
    }
    const ms = (h: { date: string }) => Date.parse(h.date);
    for (let i = 1; i < desc.seen.length; i++) expect(ms(desc.seen[i - 1])).toBeGreaterThanOrEqual(ms(desc.seen[i]));
    expect(asc.seen.map((h) => h.id)).toEqual([...desc.seen].reverse().map((h) => h.id));
    expect(relevance.seen.some((h) => h.score !== 0)).toBe(true);
  });

  test('ordered by date, the filter still applies', async () => {
    const filter = { not: { tags: [tags[0]] } };
    const { seen, total } = await walk('DATE_DESC', filter);
    const excluded = await ids({ tags: [tags[0]] });
    expect(seen.some((h) => excluded.has(h.id))).toBe(false);
    expect(total).toBe(seen.length);
  });
});
