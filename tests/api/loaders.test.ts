import { byGroup, manyEach, oneEach } from '../../src/graphql/loaders/order';
import { createLoaders } from '../../src/graphql/loaders';
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
    expect(tags.every((list, i) => list.every((t) => t.postId === ids[i]))).toBe(true);
    expect(run.statements).toBe(2);
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
