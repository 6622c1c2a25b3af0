import { FragmentDefinitionNode, GraphQLResolveInfo, Kind, OperationDefinitionNode, parse } from 'graphql';
import { graphql } from 'graphql';
import { type Context, createContext } from '../../src/graphql/context';
import { EntityCache } from '../../src/graphql/loaders/entity-cache';
import { fieldsAt, LINK_FIELDS, selectsAny } from '../../src/graphql/relay/selection';
import { buildNewsgraphSchema } from '../../src/graphql/schema';
import { sampleApi } from '../helpers/api';

/** The resolve info of the first top-level field of `query`, as far as fieldsAt reads it. */
function infoOf(query: string): GraphQLResolveInfo {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const field = op.selectionSet.selections[0];
  if (field.kind !== Kind.FIELD) throw new Error('a field first');
  return { fieldNodes: [field], fragments } as unknown as GraphQLResolveInfo;
}

describe('selectsAny over the nodes of a connection', () => {
  test.each([
    ['{ posts { edges { node { stocks { symbol } } } } }', true],
    ['{ posts { edges { node { title tags { name } } } } }', true],
    ['{ posts { edges { node { title url } } pageInfo { endCursor } } }', false],
    // A link field elsewhere than on the connection's nodes does not count.
    ['{ posts { edges { node { relatedCoverage { edges { node { stocks { symbol } } } } } } } }', false],
    ['{ posts { edges { cursor } stocks: pageInfo { endCursor } } }', false],
    ['{ posts { edges { node { ... on Post { boards { code } } } } } }', true],
    [
      '{ posts { ...P } } fragment P on PostConnection { edges { node { ...N } } } fragment N on Post { categories { slug } }',
      true,
    ],
    [
      '{ posts { ...P ...P } } fragment P on PostConnection { edges { node { ...N } } } fragment N on Post { title }',
      false,
    ],
    ['{ posts { edges { ... { node { organizations { name } } } } } }', true],
    // An alias names the same field.
    ['{ posts { edges { node { s: stockMentions { count } } } } }', true],
  ])('%s -> %s', (query, expected) => {
    expect(selectsAny(fieldsAt(infoOf(query), ['edges', 'node']), LINK_FIELDS)).toBe(expected);
  });
});

test.each([
  ['{ post(slug: "x") { title stocks { symbol } } }', true],
  ['{ post(slug: "x") { ... on Post { boards { code } } } }', true],
  ['{ post(slug: "x") { title relatedCoverage { edges { node { stocks { symbol } } } } } }', false],
])('selectsAny over the field itself: %s -> %s', (query, expected) => {
  expect(selectsAny(fieldsAt(infoOf(query), []), LINK_FIELDS)).toBe(expected);
});

/** Counts the loads of a post's lists from now on: link fields that could not answer at once. */
function countLoads(ctx: Context): string[] {
  const loads: string[] = [];
  const keys = ['categoriesOfPost', 'tagsOfPost', 'stocksOfPost', 'boardsOfPost', 'organizationsOfPost'] as const;
  for (const key of keys) {
    const list = ctx.loaders[key] as { load: (id: number) => Promise<unknown> };
    const load = list.load;
    list.load = (id) => (loads.push(key), load(id));
  }
  return loads;
}

describe('link fields answered with the page', () => {
  let api: Awaited<ReturnType<typeof sampleApi>>;
  beforeAll(async () => {
    api = await sampleApi();
  });
  afterAll(() => api.close());

  /** One request over `names` (as the server keeps it): its data, link-field loads and statements. */
  async function answerCounted(names: EntityCache, query: string, variableValues?: Record<string, unknown>) {
    const ctx = createContext(api.store.runner(), names.view());
    const loads = countLoads(ctx);
    const r = await graphql({ schema: buildNewsgraphSchema(), source: query, variableValues, contextValue: ctx });
    expect(r.errors).toBeUndefined();
    return { data: r.data, loads: loads.length, statements: ctx.run.statements };
  }

  test('the links are read only when the nodes show them, in one statement either way', async () => {
    const plain = await api.run('{ posts(first: 20) { edges { node { title } } } }');
    const linked = await api.run('{ posts(first: 20) { edges { node { title stocks { symbol } tags { name } } } } }');
    expect(plain.errors).toBeUndefined();
    expect(linked.errors).toBeUndefined();
    // The page, then its links and the names they hold (stocks, tags): one statement each.
    expect(linked.statements).toBe(plain.statements + 3);
  });

  test('through fragments and nested connections, the answers are those of plain fields', async () => {
    const plain = await api.ok(`{ stocks(first: 3) { edges { node { symbol posts(first: 4) { edges { node {
      title categories { slug } tags { name } stocks { symbol } stockMentions { count } boards { code }
      organizations { name } publisher { name } } } } } } } }`);
    const fragments = await api.ok(`{ stocks(first: 3) { edges { node { symbol posts(first: 4) { ...P } } } } }
      fragment P on PostConnection { edges { node { title ...L publisher { name } } } }
      fragment L on Post { categories { slug } tags { name } stocks { symbol } stockMentions { count }
        boards { code } organizations { name } }`);
    expect(fragments).toEqual(plain);
    expect(JSON.stringify(plain)).toContain('"stocks":[{"symbol"');
  });

  test('with the names in memory, link fields answer without loading, and answer the same', async () => {
    const names = new EntityCache(api.store.dataVersion);
    const query = `{ posts(first: 30) { edges { node { title categories { slug } tags { name } stocks { symbol name }
      stockMentions { count via stock { symbol } } boards { code } organizations { name } publisher { name } } } } }`;
    const first = await answerCounted(names, query);
    const second = await answerCounted(names, query);
    // The first request reads the names; the second finds them in memory: the page and its links only.
    expect(first.loads).toBeGreaterThan(0);
    expect(second.loads).toBe(0);
    expect(second.statements).toBe(2);
    expect(second.data).toEqual(first.data);
    expect(JSON.stringify(first.data)).toContain('"categories":[{"slug"');
  });

  test('a post looked up by slug reads its links with it, as a page does', async () => {
    const names = new EntityCache(api.store.dataVersion);
    const listed = await api.ok('{ posts(first: 50) { edges { node { slug stocks { symbol } } } } }');
    const slug = listed.posts.edges.map((e: any) => e.node).find((n: any) => n.stocks.length > 0).slug as string;
    const query = `query ($slug: String!) { post(slug: $slug) { title categories { slug } tags { name }
      stocks { symbol } stockMentions { count } boards { code } organizations { name } publisher { name } } }`;
    const first = await answerCounted(names, query, { slug });
    const second = await answerCounted(names, query, { slug });
    // The post, then its links; the names are in memory, so no link field loads.
    expect(first.loads).toBeGreaterThan(0);
    expect(second.loads).toBe(0);
    expect(second.statements).toBe(2);
    expect(second.data).toEqual(first.data);
    expect(JSON.stringify(first.data)).toContain('"stocks":[{"symbol"');
    const plain = await api.run('query ($slug: String!) { post(slug: $slug) { title } }', { slug });
    expect(plain.statements).toBe(1);
  });
});

describe('related coverage answered with the page', () => {
  let api: Awaited<ReturnType<typeof sampleApi>>;
  beforeAll(async () => {
    api = await sampleApi();
  });
  afterAll(() => api.close());

  const RELATED = `edges { score sharedStocks { symbol } node { slug title date } } pageInfo { hasNextPage endCursor }`;

  /** One request: its data, how often a related-coverage field had to load, and its statements. */
  async function answerCounted(names: EntityCache, query: string, variableValues?: Record<string, unknown>) {
    const ctx = createContext(api.store.runner(), names.view());
    let misses = 0;
    const relatedNow = ctx.loaders.relatedNow;
    ctx.loaders.relatedNow = (...a) => {
      const now = relatedNow(...a);
      if (!now) misses++;
      return now;
    };
    const r = await graphql({ schema: buildNewsgraphSchema(), source: query, variableValues, contextValue: ctx });
    return { data: r.data as any, errors: r.errors, misses, statements: ctx.run.statements };
  }

  test('a page reads its posts related coverage ahead, for each set of arguments, as each post alone answers', async () => {
    const names = new EntityCache(api.store.dataVersion);
    const one = await answerCounted(
      names,
      `{ posts(first: 1) { edges { node { relatedCoverage(first: 2) { pageInfo { endCursor } } } } } }`,
    );
    const after = one.data.posts.edges[0].node.relatedCoverage.pageInfo.endCursor as string;
    const query = `query ($n: Int, $after: String) { posts(first: 25) { edges { node { slug
      a: relatedCoverage(first: $n) { ${RELATED} }
      b: relatedCoverage(first: 2, after: $after) { ${RELATED} }
      ... on Post { c: relatedCoverage { ${RELATED} } } } } } }`;
    const page = await answerCounted(names, query, { n: 3, after });
    expect(page.errors).toBeUndefined();
    // Every field answered from what the page read (25 posts x 3 fields), none loaded on its own.
    expect(page.misses).toBe(0);
    const nodes = page.data.posts.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(25);
    expect(nodes.some((n: any) => n.a.edges.length === 3)).toBe(true);
    expect(nodes.some((n: any) => n.c.edges.length > 3)).toBe(true);
    for (const node of nodes.slice(0, 8)) {
      const alone = await api.ok(
        `query ($slug: String!, $after: String) { post(slug: $slug) {
          a: relatedCoverage(first: 3) { ${RELATED} } b: relatedCoverage(first: 2, after: $after) { ${RELATED} }
          c: relatedCoverage { ${RELATED} } } }`,
        { slug: node.slug, after },
      );
      expect({ slug: node.slug, ...alone.post }).toEqual(node);
    }
  });

  test('with the names in memory, a front page costs its page, links, related lists and their cards', async () => {
    const names = new EntityCache(api.store.dataVersion);
    const query = `{ posts(first: 20) { edges { node { title stocks { symbol }
      relatedCoverage(first: 3) { edges { score node { title date } } } } } } }`;
    await answerCounted(names, query);
    const second = await answerCounted(names, query);
    expect(second.errors).toBeUndefined();
    expect(second.misses).toBe(0);
    expect(second.statements).toBe(4);
  });

  test('bad arguments are for the field to report, as without the read-ahead', async () => {
    const r = await api.run(`{ posts(first: 3) { edges { node { title
      relatedCoverage(first: 0) { edges { score } } ok: relatedCoverage(first: 1) { edges { score } } } } } }`);
    expect(r.errors?.length).toBeGreaterThan(0);
    for (const e of r.errors!) {
      expect(e.extensions?.code).toBe('BAD_USER_INPUT');
      expect(e.message).toBe('`first` must be between 1 and 100, got 0');
      expect(e.path?.slice(-1)).toEqual(['relatedCoverage']);
    }
    const bad = await api.run(
      `{ posts(first: 2) { edges { node { relatedCoverage(after: "nope") { edges { score } } } } } }`,
    );
    expect(bad.errors?.[0].message).toContain('malformed cursor');
    // The same page with good arguments answers.
    const good = await api.run(
      `{ posts(first: 3) { edges { node { title ok: relatedCoverage(first: 1) { edges { score } } } } } }`,
    );
    expect(good.errors).toBeUndefined();
    expect(good.data.posts.edges).toHaveLength(3);
  });
});
