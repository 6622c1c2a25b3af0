import 'reflect-metadata';
import { graphql, GraphQLSchema, isObjectType } from 'graphql';
import {
  Arg,
  Args,
  ArgsType,
  buildSchemaSync,
  Ctx,
  Field,
  FieldResolver,
  InputType,
  Int,
  ObjectType,
  Query,
  Resolver,
  Root,
  UseMiddleware,
} from 'type-graphql';
import { directFieldResolvers, isDirect } from '../../src/graphql/direct-resolvers';
import { buildNewsgraphSchema, buildTypeGraphqlSchema } from '../../src/graphql/schema';
import { createContext } from '../../src/graphql/context';
import { EXAMPLE_QUERIES } from '../../src/server/example-queries';
import { FRONT_PAGE, POST_PAGE, SEARCH, STOCK_PAGE } from '../../bench/queries';
import { sampleApi } from '../helpers/api';

// The direct resolvers must answer exactly as type-graphql's wrappers do: the same data and
// errors for every page and example on the real posts, and the same values handed to resolvers
// in the cases type-graphql converts (argument classes, roots of another class), or its wrapper kept.

describe('on the sample archive', () => {
  let api: Awaited<ReturnType<typeof sampleApi>>;
  beforeAll(async () => {
    api = await sampleApi();
  });
  afterAll(() => api.close());

  const direct = () => buildNewsgraphSchema();
  const wrapped = buildTypeGraphqlSchema();

  const both = async (source: string, variableValues?: Record<string, unknown>) => {
    const answer = async (schema: GraphQLSchema) => {
      const ctx = createContext(api.store.runner());
      const r = await graphql({ schema, source, variableValues, contextValue: ctx });
      return JSON.parse(JSON.stringify({ data: r.data, errors: r.errors?.map((e) => [e.message, e.path]) }));
    };
    return { direct: await answer(direct()), wrapped: await answer(wrapped) };
  };

  test('every Post field resolver and getter goes direct', () => {
    const post = direct().getType('Post');
    if (!isObjectType(post)) throw new Error('no Post type');
    const resolved = Object.values(post.getFields()).filter((f) => f.resolve);
    expect(resolved.length).toBeGreaterThan(15);
    expect(resolved.filter((f) => !isDirect(f.resolve)).map((f) => f.name)).toEqual([]);
    // The fields whose arguments hold an input object keep type-graphql's conversion.
    const stock = direct().getType('Stock');
    if (!isObjectType(stock)) throw new Error('no Stock type');
    expect(isDirect(stock.getFields().posts.resolve)).toBe(false);
    expect(isDirect(stock.getFields().coMentioned.resolve)).toBe(true);
  });

  test.each(EXAMPLE_QUERIES.map((e) => [e.title, e] as const))('example %s: same answer', async (_t, e) => {
    const r = await both(e.query, e.variables ? JSON.parse(e.variables) : undefined);
    expect(r.direct.data).toBeTruthy();
    expect(r.direct).toEqual(r.wrapped);
  });

  test('the bench pages, paged and with bad arguments: same answers and errors', async () => {
    const listed = await api.ok('{ posts(first: 100) { edges { node { slug stocks { symbol } } } } }');
    const linked = listed.posts.edges.map((e: any) => e.node).find((n: any) => n.stocks.length > 0);
    const [slug, stock] = [linked.slug as string, linked.stocks[0].symbol as string];
    const bodies: [string, Record<string, unknown>][] = [
      [FRONT_PAGE, {}],
      [STOCK_PAGE, { symbol: stock }],
      [POST_PAGE, { slug }],
      [SEARCH, { q: '联通' }],
      [
        '{ posts(first: 3) { edges { node { relatedCoverage(first: 2) { edges { cursor score } pageInfo { endCursor } } } } } }',
        {},
      ],
      ['{ posts(first: 2) { edges { node { relatedCoverage(first: 0) { edges { score } } } } } }', {}],
      ['{ posts(first: 2) { edges { node { relatedCoverage(after: "bad") { edges { score } } } } } }', {}],
      ['{ posts(first: 2) { edges { node { sameStory(first: 1000) { id } } } } }', {}],
      [
        `{ stock(symbol: "${stock}") { coMentioned(first: 3) { count stock { symbol } } coverageTimeline(interval: WEEK) { start count } } }`,
        {},
      ],
    ];
    const firstPage = await api.ok(
      '{ posts(first: 1) { edges { node { relatedCoverage(first: 1) { pageInfo { endCursor } } } } } }',
    );
    const after = firstPage.posts.edges[0].node.relatedCoverage.pageInfo.endCursor;
    bodies.push([
      'query($after: String) { posts(first: 1) { edges { node { relatedCoverage(first: 2, after: $after) { edges { score node { title } } } } } } }',
      { after },
    ]);
    for (const [query, variables] of bodies) {
      const r = await both(query, variables);
      expect(r.direct).toEqual(r.wrapped);
    }
    // The cases above reach errors too: a test of only happy paths would not see argument handling.
    expect((await both(bodies[5][0])).direct.errors?.length).toBeGreaterThan(0);
  });
});

// Toy types: what a resolver receives, direct and wrapped.
const seen: unknown[] = [];

@InputType('DirectToyFilter')
class ToyFilter {
  @Field(() => String, { nullable: true })
  word?: string;

  get shout(): string {
    return (this.word ?? '').toUpperCase();
  }
}

@ArgsType()
class ToyArgs {
  @Field(() => Int, { nullable: true, defaultValue: 5 })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;

  @Field(() => [String], { nullable: true })
  words?: string[];

  get limit(): number {
    return this.first ?? -1;
  }
}

@ObjectType('DirectToyItem')
class ToyItem {
  @Field(() => Int)
  n: number;

  @Field(() => String)
  get label(): string {
    return `item ${this.n}`;
  }

  @Field(() => Int)
  times(@Arg('by', () => Int) by: number): number {
    return this.n * by;
  }
}

@Resolver(() => ToyItem)
class ToyResolver {
  @Query(() => [ToyItem])
  toyItems(): ToyItem[] {
    // The second is not a ToyItem: type-graphql converts it before a field resolver sees it.
    return [Object.assign(new ToyItem(), { n: 2 }), { n: 3 } as ToyItem];
  }

  @FieldResolver(() => String)
  paged(@Root() item: ToyItem, @Args() args: ToyArgs): string {
    seen.push({ root: item instanceof ToyItem, args: args instanceof ToyArgs, keys: Object.keys(args).sort() });
    return `${item.n}:${args.limit}:${args.after ?? '-'}:${(args.words ?? []).join('+')}`;
  }

  @FieldResolver(() => String)
  picked(@Root() item: ToyItem, @Arg('words', () => [String]) words: string[], @Ctx() ctx: { tag: string }): string {
    return `${item.n}:${words.join('+')}:${ctx.tag}`;
  }

  @FieldResolver(() => String)
  filtered(@Root() item: ToyItem, @Arg('filter', () => ToyFilter) filter: ToyFilter): string {
    return `${item.n}:${filter instanceof ToyFilter ? filter.shout : 'plain object'}`;
  }

  @FieldResolver(() => String)
  @UseMiddleware(async (_data, next) => `mw(${String(await next())})`)
  guarded(@Root() item: ToyItem): string {
    return `${item.n}`;
  }
}

function toySchema(direct: boolean): GraphQLSchema {
  const schema = buildSchemaSync({ resolvers: [ToyResolver], validate: false, emitSchemaFile: false });
  if (direct) directFieldResolvers(schema, [ToyResolver]);
  return schema;
}

describe('toy schema', () => {
  const query = `{ toyItems {
    n label times(by: 3)
    paged a: paged(first: 2, after: "x", words: ["p", "q"]) b: paged(first: null)
    picked(words: ["w"]) filtered(filter: { word: "hi" }) guarded
  } }`;
  const answer = async (schema: GraphQLSchema) => {
    seen.length = 0;
    const r = await graphql({ schema, source: query, contextValue: { tag: 'ctx' } });
    return { r: JSON.parse(JSON.stringify(r)), seen: [...seen] };
  };

  test('fields go direct only where nothing changes', () => {
    const item = toySchema(true).getType('DirectToyItem');
    if (!isObjectType(item)) throw new Error('no toy type');
    const f = item.getFields();
    expect(['label', 'times', 'paged', 'picked'].filter((n) => !isDirect(f[n].resolve))).toEqual([]);
    // Input objects become class instances, middlewares run: both stay with type-graphql.
    expect(isDirect(f.filtered.resolve)).toBe(false);
    expect(isDirect(f.guarded.resolve)).toBe(false);
  });

  test('resolvers receive what type-graphql gives them', async () => {
    const direct = await answer(toySchema(true));
    const wrapped = await answer(toySchema(false));
    expect(direct.r.errors).toBeUndefined();
    expect(direct).toEqual(wrapped);
    expect(direct.r.data.toyItems[0]).toEqual({
      n: 2,
      label: 'item 2',
      times: 6,
      paged: '2:5:-:',
      a: '2:2:x:p+q',
      b: '2:-1:-:',
      picked: '2:w:ctx',
      filtered: '2:HI',
      guarded: 'mw(2)',
    });
    // The argument class instance holds only the arguments given or defaulted.
    expect(direct.seen).toContainEqual({ root: true, args: true, keys: ['first'] });
    expect(direct.seen).toContainEqual({ root: true, args: true, keys: ['after', 'first', 'words'] });
  });
});
