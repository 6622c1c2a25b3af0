import { sampleApi } from '../helpers/api';

let api: Awaited<ReturnType<typeof sampleApi>>;
beforeAll(async () => {
  api = await sampleApi();
});
afterAll(() => api.close());

const traversal = (n: number) => `{
  posts(first: ${n}) {
    edges { node {
      title categories { slug } publisher { name }
      stocks { symbol posts(first: ${n}) { totalCount edges { node { title tags { name } } } } }
      relatedCoverage(first: 3) { edges { score sharedStocks { symbol } node { title } } }
    } }
  }
}`;

test('SQL statements per request do not grow with page size or nesting breadth', async () => {
  const small = await api.run(traversal(5));
  const large = await api.run(traversal(50));
  expect(small.errors).toBeUndefined();
  expect(large.errors).toBeUndefined();
  // The larger page really does reach more posts and stocks…
  const stocksIn = (d: any) => d.posts.edges.reduce((n: number, e: any) => n + e.node.stocks.length, 0);
  expect(stocksIn(large.data)).toBeGreaterThan(stocksIn(small.data));
  // …with no more statements (fewer where the larger page already holds the related posts: the
  // post loader has them).
  expect(large.statements).toBeLessThanOrEqual(small.statements);
  expect(large.statements).toBeGreaterThanOrEqual(small.statements - 2);
  expect(large.statements).toBeLessThanOrEqual(12);
});

test('aliases with different arguments batch per argument set', async () => {
  const r = await api.run(`{ posts(first: 30) { edges { node {
    a: relatedCoverage(first: 1) { edges { score } }
    b: relatedCoverage(first: 2) { edges { score } }
    stocks { p1: posts(first: 1) { totalCount } p2: posts(first: 2, orderBy: DATE_ASC) { totalCount } }
  } } } }`);
  expect(r.errors).toBeUndefined();
  expect(r.statements).toBeLessThanOrEqual(8);
});

describe('related posts are read as cards: their other columns only when a query asks', () => {
  const related = (fields: string) => `{ posts(first: 10) { edges { node {
    relatedCoverage(first: 3) { edges { node { id title url date ${fields} } } }
  } } } }`;

  test('asking excerpt, path, contentHash and sourceUrl costs one statement for all, with the posts own values', async () => {
    const cards = await api.run(related(''));
    const full = await api.run(related('excerpt path contentHash sourceUrl'));
    expect(cards.errors).toBeUndefined();
    expect(full.errors).toBeUndefined();
    expect(full.statements).toBe(cards.statements + 1);
    const nodes = full.data.posts.edges.flatMap((e: any) => e.node.relatedCoverage.edges.map((r: any) => r.node));
    expect(nodes.length).toBeGreaterThan(5);
    // The same fields as the post itself answers them, where its row is read whole.
    for (const n of nodes.slice(0, 5)) {
      const own = await api.run(
        `query($id: ID!) { node(id: $id) { ... on Post { excerpt path contentHash sourceUrl } } }`,
        {
          id: n.id,
        },
      );
      expect(own.errors).toBeUndefined();
      expect(own.data.node).toEqual({
        excerpt: n.excerpt,
        path: n.path,
        contentHash: n.contentHash,
        sourceUrl: n.sourceUrl,
      });
      expect(n.excerpt.length).toBeGreaterThan(0);
      expect(n.contentHash).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
