import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { textLength } from '../../src/ingest/render/reading';
import { buildNewsgraphSchema } from '../../src/graphql/schema';
import { checkCost } from '../../src/server/limits';
import { sampleApi } from '../helpers/api';

// nodes(ids:) and the reader's fields of a post (wordCount, readingTime, headings), on the real
// sample and on a small archive with headings (the sample has none).

let api: Awaited<ReturnType<typeof sampleApi>>;
beforeAll(async () => {
  api = await sampleApi();
});
afterAll(() => api.close());

describe('nodes', () => {
  test('objects of every kind, in the order asked, null where an id names nothing', async () => {
    const d: any = await api.ok(`{ posts(first: 2) { edges { node { id title } } }
      stocks(first: 1) { edges { node { id symbol } } } categories(first: 1) { edges { node { id slug } } } }`);
    const [p1, p2] = d.posts.edges.map((e: any) => e.node);
    const stock = d.stocks.edges[0].node;
    const category = d.categories.edges[0].node;
    const r: any = await api.ok(
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Post { title } ... on Stock { symbol } ... on Category { slug } } }`,
      { ids: [p2.id, 'not-an-id', stock.id, p1.id, category.id, p2.id, 'UG9zdDo5OTk5OTk='] },
    );
    expect(r.nodes).toEqual([
      { __typename: 'Post', id: p2.id, title: p2.title },
      null,
      { __typename: 'Stock', id: stock.id, symbol: stock.symbol },
      { __typename: 'Post', id: p1.id, title: p1.title },
      { __typename: 'Category', id: category.id, slug: category.slug },
      { __typename: 'Post', id: p2.id, title: p2.title },
      null, // Post:999999, no such post
    ]);
  });

  test('100 ids at most; an empty list is an empty answer', async () => {
    expect((await api.ok(`{ nodes(ids: []) { id } }`)).nodes).toEqual([]);
    const r = await api.run(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array(101).fill('x') });
    expect(r.errors?.[0].message).toBe('nodes: at most 100 ids, got 101');
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('each id counts toward the query cost like a page item', () => {
    const schema = buildNewsgraphSchema();
    const doc = parse(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Post { title url } } }`);
    const costOf = (ids: string[]): number => {
      try {
        checkCost(schema, 0, doc, undefined, { ids });
      } catch (err) {
        return Number(/query cost (\d+)/.exec((err as Error).message)![1]);
      }
      throw new Error('no cost reported');
    };
    expect(costOf(Array(50).fill('x'))).toBeGreaterThan(25 * costOf(['x']));
  });
});

test("a post's wordCount and readingTime come from its text", async () => {
  const d: any = await api.ok(
    `{ posts(first: 100) { edges { node { text wordCount readingTime headings { text } } } } }`,
  );
  const posts = d.posts.edges.map((e: any) => e.node);
  expect(posts.length).toBe(100);
  for (const p of posts) {
    const l = textLength(p.text);
    expect(p.wordCount).toBe(l.cjk + l.words);
    expect(p.readingTime).toBe(Math.ceil(l.cjk / 300 + l.words / 250));
    expect(p.headings).toEqual([]);
  }
  // Real Chinese news: mostly CJK characters, a minute or more for the longer ones.
  expect(posts.some((p: any) => p.readingTime >= 2)).toBe(true);
  expect(posts.every((p: any) => p.wordCount > 0)).toBe(true);
});

test('headings of a post with Markdown and HTML headings, and its length', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'headings-'));
  const dir = path.join(root, '_posts');
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, '2024-01-02-toc.md'),
    '---\ntitle: 目录\ntags: [x]\n---\n# 市场综述\n\nintro\n\n## Risk & Return\n\n<h3>深度 <em>分析</em></h3>\n\n## 市场综述\n',
  );
  fs.writeFileSync(path.join(dir, '2024-01-01-other.md'), '---\ntitle: other\ntags: [x]\n---\nno headings here\n');
  const small = await sampleApi(root);
  try {
    const d: any = await small.ok(`{ post(slug: "toc") { readingTime wordCount headings { level text anchor } } }`);
    expect(d.post.headings).toEqual([
      { level: 1, text: '市场综述', anchor: 'section' },
      { level: 2, text: 'Risk & Return', anchor: 'risk--return' },
      { level: 3, text: '深度 分析', anchor: 'section-1' },
      { level: 2, text: '市场综述', anchor: 'section-2' },
    ]);
    // 市场综述 intro Risk Return 深度分析 市场综述: 12 CJK characters and 3 words.
    expect(d.post.wordCount).toBe(15);
    expect(d.post.readingTime).toBe(1);
  } finally {
    await small.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
