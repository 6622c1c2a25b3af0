import { FacetColumns, facetKeysOf, type PostFacetKeys, Tally } from '../../src/db/queries/facet-columns';

// The facet columns' arrays on their own: posts with gaps between their ids, days before 1970,
// no publisher, entity ids far past the counters' first size, and what `add` refuses.

const post = (id: number, day: number, publisher: number | null, links: Partial<PostFacetKeys['links']> = {}) => ({
  id,
  day,
  publisher,
  links: { category: [], tag: [], stock: [], board: [], ...links },
});

const POSTS: PostFacetKeys[] = [
  post(1, -3, null, { category: [2], tag: [1, 9], stock: [3] }),
  post(4, 0, 7, { category: [2], stock: [3, 2_000_000] }),
  post(5, 19_000, 7, { board: [11] }),
  post(9, 19_000, 8, { category: [1], tag: [9], stock: [2_000_000], board: [11, 12] }),
];

function columns(): FacetColumns {
  const c = new FacetColumns(12);
  for (const p of POSTS) expect(c.add(p)).toBe(true);
  return c.finish();
}

test('counts a set as its posts say, and the next set starts from zero', () => {
  const c = columns();
  const t = new Tally();
  for (const id of [1, 4, 9]) c.countInto(id, t);
  expect(t.drain()).toEqual({
    total: 3,
    byKind: {
      category: new Map([
        [2, 2],
        [1, 1],
      ]),
      tag: new Map([
        [1, 1],
        [9, 2],
      ]),
      stock: new Map([
        [3, 2],
        [2_000_000, 2],
      ]),
      board: new Map([
        [11, 1],
        [12, 1],
      ]),
      publisher: new Map([
        [7, 1],
        [8, 1],
      ]),
    },
    days: [
      { day: -3, n: 1 },
      { day: 0, n: 1 },
      { day: 19_000, n: 1 },
    ],
  });
  c.countInto(5, t);
  const next = t.drain();
  expect(next.total).toBe(1);
  expect(next.byKind.stock.size).toBe(0);
  expect(next.byKind.board).toEqual(new Map([[11, 1]]));
  expect(next.days).toEqual([{ day: 19_000, n: 1 }]);
});

test('ids between, before and past the posts read are not held', () => {
  const c = columns();
  expect([0, 1, 2, 3, 4, 5, 6, 9, 10, 11, 12, -1].map((id) => c.holds(id))).toEqual([
    false,
    true,
    false,
    false,
    true,
    true,
    false,
    true,
    false,
    false,
    false,
    false,
  ]);
  // A post between two others reads as linking nothing, not as its neighbour's links.
  const t = new Tally();
  c.countInto(5, t);
  expect(t.drain().byKind.category.size).toBe(0);
});

test('add refuses ids that do not ascend or do not fit, and anything after finish', () => {
  const c = new FacetColumns(10);
  expect(c.add(post(3, 1, null))).toBe(true);
  expect(c.add(post(3, 1, null))).toBe(false);
  expect(c.add(post(2, 1, null))).toBe(false);
  expect(c.add(post(10, 1, null))).toBe(false);
  c.finish();
  expect(() => c.add(post(4, 1, null))).toThrow(/after finish/);
  expect(c.bytes()).toBeGreaterThan(10 * 4 * 2);
});

test('a key row: the day rounds down before 1970, a missing links row links nothing', () => {
  const links = JSON.stringify({ c: [4], t: [5, 6], s: [[7, 3, 1, 1, 1]], b: [[8, 1, 0, 1, 0]], o: [[9, 1, 0, 0, 1]] });
  expect(facetKeysOf({ id: '3', dateMs: '-1', publisherId: null, links })).toEqual(
    post(3, -1, null, { category: [4], tag: [5, 6], stock: [7], board: [8] }),
  );
  expect(facetKeysOf({ id: 4, dateMs: 86_400_000, publisherId: '12', links: null })).toEqual(post(4, 1, 12));
  expect(() => facetKeysOf({ id: 5, dateMs: 0, publisherId: null, links: '{"c": []}' })).toThrow(/post 5.*reindex/);
});
