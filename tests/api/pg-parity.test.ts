import path from 'node:path';
import { graphql } from 'graphql';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source';
import { importArchives } from '../../src/db/importer';
import { searchPage } from '../../src/db/queries/search';
import { searchSpecOf } from '../../src/graphql/resolvers/search-connection';
import { fromGlobalId } from '../../src/graphql/relay/node-id';
import { readStoreOf, writeStoreOf, type ReadStore } from '../../src/db/store';
import { createContext } from '../../src/graphql/context';
import { buildNewsgraphSchema } from '../../src/graphql/schema';
import { SEED, tempDir, withPostgres } from '../helpers/db';
import { ACCEPTANCE } from '../helpers/acceptance';
import { tempPostgres } from '../helpers/pg';

// The sample imported into SQLite and into PostgreSQL: the acceptance queries must answer alike,
// byte for byte once ids are read as the rows they name (each database numbers its own rows), whichever
// database serves them (search scores aside: bm25 and ts_rank differ).

/** Search: the same hits and counts (order and scores come from each database's ranker). */
const SEARCHES = ['联通', '600050', '中国联通', 'NIO', '新能源', '茅', '储能 回暖'];
const SEARCH = `query($q: String!) { search(query: $q, first: 100) { totalCount edges { snippet node { url } } } }`;

interface Side {
  ds: DataSource;
  store: ReadStore;
  close: () => Promise<void>;
}

const schema = buildNewsgraphSchema();
let sqlite: Side;
let pg: Side;

/** What identifies each node type's rows apart from ids: the parity is in them, not in ids, which each database assigns on its own. */
const NATURAL_KEYS: Record<string, string> = {
  Post: 'SELECT id, url AS key FROM post',
  Stock: 'SELECT id, symbol AS key FROM stock',
  Board: 'SELECT id, code AS key FROM board',
  Organization: 'SELECT id, name AS key FROM organization',
  Category: 'SELECT id, slug AS key FROM category',
  Tag: 'SELECT id, name AS key FROM tag',
};
/** Cursor kinds whose value ends with a row id, and the type of that row. */
const CURSOR_IDS: Record<string, string> = {
  post: 'Post',
  'stock-coverage': 'Stock',
  category: 'Category',
  tag: 'Tag',
};

/** A response with every global id and every id inside a cursor replaced by its row's natural key. */
async function byNaturalKeys(side: Side, value: unknown): Promise<unknown> {
  const keys = new Map<string, Map<number, string>>();
  for (const [type, sql] of Object.entries(NATURAL_KEYS)) {
    const rows = await side.store.runner().all<{ id: number; key: string }>(sql);
    keys.set(type, new Map(rows.map((r) => [Number(r.id), r.key])));
  }
  const key = (type: string, id: number) => `${type}:${keys.get(type)!.get(id) ?? `missing ${id}`}`;
  const walk = (v: unknown, field?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    if (typeof v !== 'string') return v;
    const gid = fromGlobalId(v);
    if (gid) return key(gid.type, gid.id);
    if (field && /cursor$|Cursor$/.test(field)) {
      const [kind, at] = JSON.parse(Buffer.from(v, 'base64url').toString('utf8')) as [string, unknown];
      if (CURSOR_IDS[kind] && Array.isArray(at))
        return [kind, ...at.slice(0, -1), key(CURSOR_IDS[kind], at.at(-1) as number)];
      return [kind, at];
    }
    return v;
  };
  return walk(value);
}

async function run(side: Side, query: string, variables?: Record<string, unknown>) {
  const res = await graphql({
    schema,
    source: query,
    variableValues: variables,
    contextValue: createContext(side.store.runner()),
  });
  return JSON.parse(JSON.stringify(res));
}

withPostgres('the sample on SQLite and on PostgreSQL', () => {
  beforeAll(async () => {
    const ds = await openDatabase(path.join(tempDir('newsgraph-parity-'), 'parity.db'));
    sqlite = { ds, store: readStoreOf(ds), close: () => ds.destroy() };
    const p = await tempPostgres();
    pg = { ds: p.ds, store: readStoreOf(p.ds), close: p.close };
    const [a, b] = await Promise.all([
      importArchives(writeStoreOf(sqlite.ds), [SEED]),
      importArchives(writeStoreOf(pg.ds), [SEED]),
    ]);
    const { elapsedMs: _a, ...sa } = a;
    const { elapsedMs: _b, ...sb } = b;
    expect(sb).toEqual(sa);
  }, 120_000);

  afterAll(async () => {
    await sqlite?.close();
    await pg?.close();
  });

  test.each(ACCEPTANCE.map((a) => [a.name, a] as const))('%s: identical JSON', async (_name, a) => {
    const [left, right] = await Promise.all([run(sqlite, a.query, a.variables), run(pg, a.query, a.variables)]);
    expect(left.errors).toBeUndefined();
    expect(JSON.stringify(await byNaturalKeys(pg, right))).toBe(JSON.stringify(await byNaturalKeys(sqlite, left)));
  });

  test.each(SEARCHES)('search %p: the same posts, snippets and totalCount', async (q) => {
    const [left, right] = await Promise.all([run(sqlite, SEARCH, { q }), run(pg, SEARCH, { q })]);
    expect(left.errors).toBeUndefined();
    const hits = (r: any) => r.data.search.edges.map((e: any) => `${e.node.url} ${e.snippet}`).sort();
    expect(right.data.search.totalCount).toBe(left.data.search.totalCount);
    expect(hits(right)).toEqual(hits(left));
  });

  test.each(['中国', '公司', '联通'])(
    'search %p with a bounded ranking: the same most recently stored matches on both',
    async (q) => {
      const spec = searchSpecOf(q, undefined);
      const urls = async (side: Side, bound: number) =>
        (await searchPage(side.store.runner(), spec, 0, 100, { textLimit: bound })).rows.map((r) => r.url).sort();
      for (const bound of [1, 5, 9]) {
        const [left, right] = await Promise.all([urls(sqlite, bound), urls(pg, bound)]);
        expect(left.length).toBeGreaterThan(0);
        expect(left.length).toBeLessThanOrEqual(bound);
        expect(right).toEqual(left);
      }
    },
  );

  test('the acceptance queries see real data, not two empty answers', async () => {
    const r = await run(
      pg,
      `{ posts(first: 1) { totalCount } search(query: "联通") { totalCount } stock(symbol: "600050") { coverageCount } }`,
    );
    expect(r.data).toEqual({
      posts: { totalCount: 104 },
      search: { totalCount: expect.any(Number) },
      stock: { coverageCount: expect.any(Number) },
    });
    expect(r.data.search.totalCount).toBeGreaterThan(0);
    expect(r.data.stock.coverageCount).toBeGreaterThan(0);
  });
});
