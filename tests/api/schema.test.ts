import fs from 'node:fs';
import path from 'node:path';
import { isInputObjectType, isInterfaceType, isObjectType, isEnumType, isScalarType } from 'graphql';
import { schemaSdl } from '../../src/graphql/sdl';
import { buildNewsgraphSchema } from '../../src/graphql/schema';

test('schema/schema.graphql matches the code (run `npm run schema` after changing the API)', () => {
  const file = fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8');
  expect(file).toBe(schemaSdl());
});

test('every type, field, argument and enum value has a description', () => {
  const missing: string[] = [];
  for (const type of Object.values(buildNewsgraphSchema().getTypeMap())) {
    if (
      type.name.startsWith('__') ||
      (isScalarType(type) && ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name))
    )
      continue;
    if (!type.description) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : [])
          if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isEnumType(type)) for (const v of type.getValues()) if (!v.description) missing.push(`${type.name}.${v.name}`);
  }
  expect(missing).toEqual([]);
});

test('the contract names exist with their types', () => {
  const schema = buildNewsgraphSchema();
  const fieldType = (type: string, field: string) => {
    const t = schema.getType(type);
    if (!t || !(isObjectType(t) || isInterfaceType(t) || isInputObjectType(t))) return `no type ${type}`;
    const f = t.getFields()[field];
    if (!f) return `no field ${type}.${field}`;
    const args =
      'args' in f && f.args.length ? `(${f.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ')})` : '';
    return `${args}${String(f.type)}`;
  };
  const expected: [string, string, string][] = [
    ['Query', 'node', '(id: ID!)Node'],
    ['Query', 'post', '(id: ID, slug: String, url: String)Post'],
    [
      'Query',
      'posts',
      '(first: Int, after: String, last: Int, before: String, filter: PostFilter, orderBy: PostOrder, collapseSameStory: Boolean)PostConnection!',
    ],
    [
      'Query',
      'search',
      '(query: String!, first: Int, after: String, filter: PostFilter, orderBy: SearchOrder)SearchConnection!',
    ],
    ['Query', 'stock', '(symbol: String!)Stock'],
    ['Query', 'stocks', '(first: Int, after: String, filter: StockFilter, orderBy: StockOrder)StockConnection!'],
    ['Query', 'board', '(code: String!)Board'],
    ['Query', 'organization', '(id: ID, name: String)Organization'],
    ['Query', 'category', '(slug: String!)Category'],
    ['Query', 'categories', '(first: Int, after: String)CategoryConnection!'],
    ['Query', 'tag', '(name: String!)Tag'],
    ['Query', 'tags', '(first: Int, after: String)TagConnection!'],
    ['PostFilter', 'categories', '[String!]'],
    ['PostFilter', 'tags', '[String!]'],
    ['PostFilter', 'stocks', '[String!]'],
    ['PostFilter', 'boards', '[String!]'],
    ['PostFilter', 'organizations', '[ID!]'],
    ['PostFilter', 'publisher', 'String'],
    ['PostFilter', 'dateFrom', 'DateTime'],
    ['PostFilter', 'dateTo', 'DateTime'],
    ['Query', 'nodes', '(ids: [ID!]!)[Node]!'],
    ['Query', 'postFacets', '(filter: PostFilter, search: String)PostFacets!'],
    ['PostFacets', 'total', 'Int!'],
    ['Query', 'trendingStocks', '(window: TrendWindow, at: DateTime, first: Int)[TrendingStock!]!'],
    ['TrendingStock', 'score', 'Float!'],
    ['TrendingStock', 'posts', '(first: Int)[Post!]!'],
    ['PostFacets', 'stocks', '(first: Int)[StockFacet!]!'],
    ['PostFacets', 'dates', '(interval: Interval)[CoverageBucket!]!'],
    ['Post', 'wordCount', 'Int!'],
    ['Post', 'readingTime', 'Int!'],
    ['Post', 'headings', '[Heading!]!'],
    ['Post', 'sameStory', '(first: Int)[Post!]!'],
    ['Heading', 'anchor', 'String!'],
    ['PostFilter', 'categoriesAll', '[String!]'],
    ['PostFilter', 'tagsAll', '[String!]'],
    ['PostFilter', 'stocksAll', '[String!]'],
    ['PostFilter', 'titleContains', 'String'],
    ['PostFilter', 'and', '[PostFilter!]'],
    ['PostFilter', 'or', '[PostFilter!]'],
    ['PostFilter', 'not', 'PostFilter'],
    ['Post', 'id', 'ID!'],
    ['Post', 'slug', 'String!'],
    ['Post', 'url', 'String!'],
    ['Post', 'title', 'String!'],
    ['Post', 'date', 'DateTime!'],
    ['Post', 'excerpt', 'String!'],
    ['Post', 'html', 'String!'],
    ['Post', 'text', 'String!'],
    ['Post', 'sourceUrl', 'String'],
    ['Post', 'path', 'String!'],
    ['Post', 'categories', '[Category!]!'],
    ['Post', 'tags', '[Tag!]!'],
    ['Post', 'publisher', 'Organization'],
    ['Post', 'stocks', '[Stock!]!'],
    ['Post', 'boards', '[Board!]!'],
    ['Post', 'organizations', '[Organization!]!'],
    ['Post', 'stockMentions', '[StockMention!]!'],
    ['Post', 'relatedCoverage', '(first: Int, after: String)RelatedPostConnection!'],
    ['StockMention', 'stock', 'Stock!'],
    ['StockMention', 'count', 'Int!'],
    ['StockMention', 'via', '[Via!]!'],
    ['RelatedPostEdge', 'node', 'Post!'],
    ['RelatedPostEdge', 'score', 'Float!'],
    ['RelatedPostEdge', 'sharedStocks', '[Stock!]!'],
    ['Stock', 'id', 'ID!'],
    ['Stock', 'symbol', 'String!'],
    ['Stock', 'code', 'String!'],
    ['Stock', 'market', 'String!'],
    ['Stock', 'exchange', 'String'],
    ['Stock', 'secid', 'String'],
    ['Stock', 'name', 'String'],
    ['Stock', 'organization', 'Organization'],
    ['Stock', 'coverageCount', 'Int!'],
    [
      'Stock',
      'posts',
      '(first: Int, after: String, last: Int, before: String, filter: PostFilter, orderBy: PostOrder, collapseSameStory: Boolean)PostConnection!',
    ],
    ['Stock', 'coMentioned', '(first: Int)[CoMention!]!'],
    ['CoMention', 'stock', 'Stock!'],
    ['CoMention', 'count', 'Int!'],
    ['Stock', 'coverageTimeline', '(interval: Interval!, from: DateTime, to: DateTime)[CoverageBucket!]!'],
    ['CoverageBucket', 'start', 'DateTime!'],
    ['CoverageBucket', 'count', 'Int!'],
    ['Board', 'code', 'String!'],
    ['Board', 'name', 'String'],
    ['Organization', 'name', 'String!'],
    ['Organization', 'stocks', '[Stock!]!'],
    ['Category', 'slug', 'String!'],
    ['Category', 'title', 'String'],
    ['Category', 'postCount', 'Int!'],
    ['Tag', 'name', 'String!'],
    ['Tag', 'postCount', 'Int!'],
    ['SearchConnection', 'edges', '[SearchEdge!]!'],
    ['SearchConnection', 'pageInfo', 'PageInfo!'],
    ['SearchConnection', 'totalCount', 'Int!'],
    ['SearchEdge', 'node', 'Post!'],
    ['SearchEdge', 'score', 'Float!'],
    ['SearchEdge', 'snippet', 'String!'],
    ['PostConnection', 'totalCount', 'Int!'],
    ['PostEdge', 'cursor', 'String!'],
    ['Query', 'changes', '(after: String, first: Int)PostChangeConnection!'],
    ['PostChangeConnection', 'edges', '[PostChangeEdge!]!'],
    ['PostChangeConnection', 'pageInfo', 'PageInfo!'],
    ['PostChangeConnection', 'headCursor', 'String!'],
    ['PostChangeConnection', 'totalCount', 'Int!'],
    ['PostChangeEdge', 'cursor', 'String!'],
    ['PostChangeEdge', 'node', 'PostChange!'],
    ['PostChange', 'kind', 'PostChangeKind!'],
    ['PostChange', 'id', 'ID!'],
    ['PostChange', 'url', 'String!'],
    ['PostChange', 'at', 'DateTime!'],
    ['PostChange', 'post', 'Post'],
  ];
  expect(
    expected
      .filter(([t, f, ty]) => fieldType(t, f) !== ty)
      .map(([t, f, ty]) => `${t}.${f}: want ${ty}, got ${fieldType(t, f)}`),
  ).toEqual([]);
  const orders = schema.getType('SearchOrder');
  expect(isEnumType(orders) && orders.getValues().map((v) => v.name)).toEqual(['RELEVANCE', 'DATE_DESC', 'DATE_ASC']);
  const kinds = schema.getType('PostChangeKind');
  expect(isEnumType(kinds) && kinds.getValues().map((v) => v.name)).toEqual(['ADDED', 'UPDATED', 'REMOVED']);
  for (const t of ['Post', 'Stock', 'Board', 'Organization', 'Category', 'Tag']) {
    expect((schema.getType(t) as any).getInterfaces().map((i: any) => i.name)).toEqual(['Node']);
  }
});
