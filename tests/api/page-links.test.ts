import { FragmentDefinitionNode, GraphQLResolveInfo, Kind, OperationDefinitionNode, parse } from 'graphql';
import { graphql } from 'graphql';
import { type Context, createContext } from '../../src/graphql/context';
import { EntityCache } from '../../src/graphql/loaders/entity-cache';
import { LINK_FIELDS, selectsAt, selectsOnNodes } from '../../src/graphql/relay/selection';
import { buildNewsgraphSchema } from '../../src/graphql/schema';
import { sampleApi } from '../helpers/api';

/** The resolve info of the first top-level field of `query`, as far as selectsOnNodes reads it. */
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

describe('selectsOnNodes', () => {
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
    expect(selectsOnNodes(infoOf(query), LINK_FIELDS)).toBe(expected);
  });
});

test.each([
  ['{ post(slug: "x") { title stocks { symbol } } }', true],
  ['{ post(slug: "x") { ... on Post { boards { code } } } }', true],
  ['{ post(slug: "x") { title relatedCoverage { edges { node { stocks { symbol } } } } } }', false],
])('selectsAt the field itself: %s -> %s', (query, expected) => {
  expect(selectsAt(infoOf(query), [], LINK_FIELDS)).toBe(expected);
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
