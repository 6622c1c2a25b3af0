import { byGroup, manyEach, oneEach } from '../../src/graphql/loaders/order';
import * as L from '../../src/db/queries/lookups';
import type { Mention } from '../../src/db/queries/rows';
import { createLoaders } from '../../src/graphql/loaders';
import { EntityCache } from '../../src/graphql/loaders/entity-cache';
import { sampleApi } from '../helpers/api';

describe('batch ordering helpers', () => {
  test('oneEach returns one result per key in key order, null for missing, first row wins', () => {
    const rows = [
      { id: 3, v: 'c' },
      { id: 1, v: 'a' },
      { id: 3, v: 'dup' },
    ];
    expect(oneEach([1, 2, 3, 1], rows, (r) => r.id)).toEqual([
      { id: 1, v: 'a' },
      null,
      { id: 3, v: 'c' },
      { id: 1, v: 'a' },
    ]);
  });

  test('manyEach groups rows per key, keeping row order, empty for missing', () => {
    const rows = [
      { k: 2, v: 1 },
      { k: 1, v: 2 },
      { k: 2, v: 3 },
    ];
    expect(manyEach([1, 2, 9], rows, (r) => r.k)).toEqual([
      [{ k: 1, v: 2 }],
      [
        { k: 2, v: 1 },
        { k: 2, v: 3 },
      ],
      [],
    ]);
  });

  test('byGroup runs one batch per argument set and restores key positions', async () => {
    const calls: number[][] = [];
    const out = await byGroup(
      [
        { id: 1, g: 'a' },
        { id: 2, g: 'b' },
        { id: 3, g: 'a' },
      ],
      (k) => k.g,
      async (keys) => {
        calls.push(keys.map((k) => k.id));
        return keys.map((k) => `${k.g}${k.id}`);
      },
    );
    expect(out).toEqual(['a1', 'b2', 'a3']);
    expect(calls).toEqual([[1, 3], [2]]);
  });
});

describe('loaders against the sample', () => {
  let api: Awaited<ReturnType<typeof sampleApi>>;
  beforeAll(async () => {
    api = await sampleApi();
  });
  afterAll(() => api.close());

  test('one statement for many keys, results in key order', async () => {
    const run = api.store.runner();
    const loaders = createLoaders(run);
    const ids = (await api.query<{ id: number }>('SELECT id FROM post ORDER BY id DESC LIMIT 10')).map((r) => r.id);
    const keys = [...ids, 999999];
    const rows = await Promise.all(keys.map((id) => loaders.post.load(id)));
    expect(rows.map((r) => r?.id ?? null)).toEqual([...ids, null]);
    expect(run.statements).toBe(1);
    const tags = await Promise.all(ids.map((id) => loaders.tagsOfPost.load(id)));
    // One statement for the posts' links, one for the tags they name.
    expect(run.statements).toBe(3);
    const linked = manyEach(ids, await L.tagsOfPosts(run, ids), (r) => r.postId);
    expect(tags.map((list) => list.map((t) => t.name))).toEqual(linked.map((list) => list.map((t) => t.name)));
    expect(tags.flat().length).toBeGreaterThanOrEqual(10);
  });

  test("every post's links, through post_links and the names loaders, as the link tables give them", async () => {
    const run = api.store.runner();
    const loaders = createLoaders(run);
    const ids = (await api.query<{ id: number }>('SELECT id FROM post ORDER BY id')).map((r) => r.id);
    const [cats, tags, stocks, boards, orgs] = await Promise.all([
      L.categoriesOfPosts(run, ids),
      L.tagsOfPosts(run, ids),
      L.mentionsOfPosts(run, 'stock', ids),
      L.mentionsOfPosts(run, 'board', ids),
      L.mentionsOfPosts(run, 'organization', ids),
    ]);
    const plain = <T>(rows: T[]) => rows.map((r) => ({ ...r }));
    const expected = {
      categories: manyEach(ids, cats, (r) => r.postId),
      tags: manyEach(ids, tags, (r) => r.postId),
      stocks: manyEach(ids, stocks, (r) => r.postId),
      boards: manyEach(ids, boards, (r) => r.postId),
      organizations: manyEach(ids, orgs, (r) => r.postId),
    };
    const before = run.statements;
    const got = {
      categories: await Promise.all(ids.map((id) => loaders.categoriesOfPost.load(id))),
      tags: await Promise.all(ids.map((id) => loaders.tagsOfPost.load(id))),
      stocks: await Promise.all(ids.map((id) => loaders.stocksOfPost.load(id))),
      boards: await Promise.all(ids.map((id) => loaders.boardsOfPost.load(id))),
      organizations: await Promise.all(ids.map((id) => loaders.organizationsOfPost.load(id))),
    };
    // The links once, then each kind's names once.
    expect(run.statements - before).toBe(6);
    const noPost = (lists: object[][]) =>
      lists.map((l) => l.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'postId'))));
    expect(noPost(got.categories)).toEqual(noPost(expected.categories));
    expect(noPost(got.tags)).toEqual(noPost(expected.tags));
    // As the link tables' rows: the thing's columns, then the post and how it names the thing.
    const asRows = (lists: Mention<{ id: number }>[][]) =>
      lists.flatMap((list, i) =>
        list.map(({ target, ...counts }) => ({ ...target, postId: ids[i], targetId: target.id, ...counts })),
      );
    expect(asRows(got.stocks)).toEqual(plain(expected.stocks.flat()));
    expect(asRows(got.boards)).toEqual(plain(expected.boards.flat()));
    expect(asRows(got.organizations)).toEqual(plain(expected.organizations.flat()));
    expect(expected.stocks.flat().length).toBeGreaterThan(20);
    expect(expected.boards.flat().length).toBeGreaterThan(0);
    expect(expected.organizations.flat().length).toBeGreaterThan(20);
  });

  test('names kept across requests until the data version moves', async () => {
    let version = 'v1';
    const cache = new EntityCache(() => version);
    const ids = (await api.query<{ id: number }>('SELECT id FROM stock ORDER BY id LIMIT 5')).map((r) => r.id);
    const first = api.store.runner();
    const firstLoaders = createLoaders(first, undefined, cache.view());
    const a = await Promise.all(ids.map((id) => firstLoaders.stock.load(id)));
    expect(first.statements).toBe(1);
    const second = api.store.runner();
    const secondLoaders = createLoaders(second, undefined, cache.view());
    const b = await Promise.all(ids.map((id) => secondLoaders.stock.load(id)));
    expect(second.statements).toBe(0);
    expect(b).toEqual(a);
    version = 'v2';
    const third = api.store.runner();
    await createLoaders(third, undefined, cache.view()).stock.load(ids[0]);
    expect(third.statements).toBe(1);
  });

  test('names found in the cache stay in the answer when another request starts it afresh meanwhile', async () => {
    const [post] = await api.query<{ id: number }>(
      'SELECT post_id AS id FROM post_organization GROUP BY post_id HAVING count(*) >= 2 ORDER BY post_id LIMIT 1',
    );
    const expected = (await createLoaders(api.store.runner()).organizationsOfPost.load(post.id)).map(
      (m) => m.target.name,
    );
    expect(expected.length).toBeGreaterThanOrEqual(2);
    let version = 'v1';
    const cache = new EntityCache(() => version);
    // The post's first organization in memory, the others not.
    const [first] = await createLoaders(api.store.runner(), undefined, cache.view()).organization.loadMany([
      (await createLoaders(api.store.runner()).organizationsOfPost.load(post.id))[0].target.id,
    ]);
    expect(first).not.toBeNull();
    const run = api.store.runner();
    const all = run.all.bind(run);
    run.all = async <T>(sql: string, params?: unknown[]) => {
      if (sql.includes('FROM organization o')) {
        // An import commits and another request looks first, while this one reads the missing rows.
        version = 'v2';
        await cache.view().generation();
      }
      return all<T>(sql, params);
    };
    const got = await createLoaders(run, undefined, cache.view()).organizationsOfPost.load(post.id);
    expect(got.map((m) => m.target.name)).toEqual(expected);
  });

  test('a fill read before the cache started afresh is not kept', async () => {
    let version = 'v1';
    const cache = new EntityCache(() => version);
    const stale = cache.view();
    const generation = await stale.generation();
    version = 'v2';
    await cache.view().generation();
    stale.keep('tag', [{ id: 1, name: 'old', slug: 'old', postCount: 1 }], generation);
    expect(cache.view().get('tag', 1)).toBeUndefined();
  });

  test('a kind past its bound starts afresh', async () => {
    const cache = new EntityCache(() => 'v', 3);
    const view = cache.view();
    const g = await view.generation();
    const tag = (id: number) => ({ id, name: `t${id}`, slug: `t${id}`, postCount: 1 });
    view.keep('tag', [tag(1), tag(2), tag(3)], g);
    view.keep('tag', [tag(4)], g);
    expect([1, 2, 3, 4].map((id) => view.get('tag', id)?.name ?? null)).toEqual([null, null, null, 't4']);
  });

  test('post pages for many scopes come back per scope', async () => {
    const run = api.store.runner();
    const loaders = createLoaders(run);
    const stocks = await api.query<{ id: number; n: number }>('SELECT id, coverage_count AS n FROM stock ORDER BY id');
    const pages = await Promise.all(
      stocks.map((s) =>
        loaders.postPage.load({ scope: { kind: 'stock', id: s.id }, ascending: false, forward: true, limit: 100 }),
      ),
    );
    expect(pages.map((p) => p.items.length)).toEqual(stocks.map((s) => s.n));
    expect(run.statements).toBe(1);
  });
});
