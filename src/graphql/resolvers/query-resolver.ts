import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, ID, Query, Resolver, Info } from 'type-graphql';
import {
  boardsByCodes,
  categoriesBySlugs,
  organizationsByNames,
  postsBySlugs,
  postsByUrls,
  stocksBySymbols,
  tagsByNames,
} from '../../db/queries/lookups';
import { stocksByCodes } from '../../db/queries/stocks';
import type { PostRow } from '../../db/queries/rows';
import { parseSymbolQuery } from '../../ingest/extract/symbol';
import type { Context } from '../context';
import { badInput } from '../errors';
import { fromGlobalId } from '../relay/node-id';
import { PostConnection, SearchConnection } from '../types/connections';
import { Node } from '../types/node';
import { Post } from '../types/post';
import { Stock } from '../types/stock';
import { Board, Category, Organization, Tag } from '../types/taxonomy';
import { OrganizationLookupArgs, PostsArgs, SearchArgs } from './args';
import { loadNode } from './node-lookup';
import { boardCode, toFilterSpec } from './filter-spec';
import { readAhead } from './read-ahead';
import { postConnection } from './post-connection';
import { RANKED_TEXT_LIMIT } from '../../db/queries/search';
import { searchConnection, searchSpecOf, searchText } from './search-connection';
import type { FacetCounts } from '../../db/queries/facet-counts';
import { postFacets } from '../../db/queries/post-facets';
import { PostFacets } from '../types/facets';
import { PostFilter } from '../types/filters';

@ArgsType()
class PostLookupArgs {
  @Field(() => ID, { nullable: true, description: 'Global ID.' })
  id?: string;

  @Field(() => String, { nullable: true, description: 'Slug; the newest post with it when several share one.' })
  slug?: string;

  @Field(() => String, {
    nullable: true,
    description: 'Permalink (/xiningwanbao/2022/06/16/NW202206162414061171.html).',
  })
  url?: string;
}

@ArgsType()
class PostFacetsArgs {
  @Field(() => PostFilter, { nullable: true, description: 'Which posts.' })
  filter?: PostFilter | null;

  @Field(() => String, { nullable: true, description: 'Only the hits of this search (as `search(query:)`).' })
  search?: string | null;
}

/** IDs one `nodes` query takes: a page's worth. */
export const MAX_NODE_IDS = 100;

/**
 * The query cost of one `postFacets` (src/server/limits.ts): a filtered set's facets count every post
 * of it (a category of 250,000 posts at 1M: ~35 ms to seconds), so a document holds at most a few
 * (9 under the default limit of 25,000), not 30 aliases of it.
 */
export const FACETS_COST = 2500;

@Resolver()
export class QueryResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by global ID.' })
  node(@Arg('id', () => ID, { description: 'Global ID.' }) id: string, @Ctx() ctx: Context): Promise<Node | null> {
    return loadNode(ctx, id);
  }

  @Query(() => [Node], {
    nullable: 'items',
    description: `Objects by global ID, in the order asked; null where an ID names nothing. At most ${MAX_NODE_IDS} IDs; each counts toward the query cost like a page item.`,
  })
  nodes(
    @Arg('ids', () => [ID], { description: 'Global IDs.' }) ids: string[],
    @Ctx() ctx: Context,
  ): Promise<(Node | null)[]> {
    if (ids.length > MAX_NODE_IDS) throw badInput(`nodes: at most ${MAX_NODE_IDS} ids, got ${ids.length}`);
    return Promise.all(ids.map((id) => loadNode(ctx, id)));
  }

  @Query(() => Post, { nullable: true, description: 'One post by ID, slug or permalink (exactly one of them).' })
  async post(@Args() a: PostLookupArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Post | null> {
    const given = [a.id, a.slug, a.url].filter((v) => v != null).length;
    if (given !== 1) throw badInput('post: pass exactly one of `id`, `slug`, `url`');
    let row: PostRow | null | undefined;
    if (a.id != null) {
      const gid = fromGlobalId(a.id);
      if (!gid || gid.type !== 'Post') return null;
      row = await ctx.loaders.post.load(gid.id);
    } else {
      row = (await (a.slug != null ? postsBySlugs(ctx.run, [a.slug]) : postsByUrls(ctx.run, [a.url!])))[0];
    }
    if (!row) return null;
    // As a page of posts does (postConnection): links and related coverage first, so those fields answer at once.
    await readAhead(ctx, info, [], [row.id]);
    return Post.from(row);
  }

  @Query(() => PostConnection, { description: 'All posts, newest first unless ordered otherwise.' })
  posts(@Args() args: PostsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<PostConnection> {
    return postConnection(ctx, null, args, info);
  }

  @Query(() => SearchConnection, {
    description:
      'Full-text search that understands Chinese (two-character words such as 联通 match); a stock symbol, code or full name (a one-word query) also finds the posts linked to that stock, and they rank first. ' +
      `Text matches are ranked among the ${RANKED_TEXT_LIMIT.toLocaleString('en')} most recently stored (\`totalCount\` counts them all); ` +
      '`orderBy: DATE_DESC` or `DATE_ASC` lists every hit by date instead.',
  })
  search(@Args() a: SearchArgs, @Ctx() ctx: Context): Promise<SearchConnection> {
    return searchConnection(ctx, a.query, a, a.filter, a.orderBy ?? undefined);
  }

  @Query(() => PostFacets, {
    complexity: FACETS_COST,
    description:
      'Counts by category, tag, stock, board and publisher, and a date histogram, over the posts a filter selects, or a search finds (narrowed by the filter when both are given).',
  })
  postFacets(@Args() { filter, search }: PostFacetsArgs, @Ctx() ctx: Context): PostFacets {
    const spec = toFilterSpec(filter);
    const found = search == null ? null : searchSpecOf(searchText('postFacets', 'search', search), undefined);
    let counting: Promise<FacetCounts> | null = null;
    return Object.assign(new PostFacets(), {
      counts: () => (counting ??= postFacets(ctx.run, spec, found, ctx.facets ?? null)),
    });
  }

  @Query(() => Stock, {
    nullable: true,
    description:
      'A stock by symbol in any common form: 600050, 600050.SH, SH600050, sh600050, 1.600050, 00762.HK, NIO, 106.NIO. A bare code that names several stocks is an error listing them.',
  })
  async stock(
    @Arg('symbol', () => String, { description: 'The symbol.' }) symbol: string,
    @Ctx() ctx: Context,
  ): Promise<Stock | null> {
    const q = parseSymbolQuery(symbol);
    if (q.kind === 'invalid') throw badInput(`stock(symbol:): ${q.reason}`);
    if (q.kind === 'exact') {
      const row = (await stocksBySymbols(ctx.run, [q.ref.symbol]))[0];
      return row ? Stock.from(row) : null;
    }
    const rows = await stocksByCodes(ctx.run, [q.code]);
    if (rows.length > 1) {
      throw badInput(
        `stock(symbol: ${JSON.stringify(symbol)}) is ambiguous: it names ${rows.map((r) => `${r.symbol}${r.name ? ` (${r.name})` : ''}`).join(', ')}; pass one of those symbols`,
      );
    }
    return rows[0] ? Stock.from(rows[0]) : null;
  }

  @Query(() => Board, { nullable: true, description: 'A sector/concept board by code (BK0493 or 90.BK0493).' })
  async board(
    @Arg('code', () => String, { description: 'Board code.' }) code: string,
    @Ctx() ctx: Context,
  ): Promise<Board | null> {
    const row = (await boardsByCodes(ctx.run, [boardCode(code, 'board(code:)')]))[0];
    return row ? Board.from(row) : null;
  }

  @Query(() => Organization, {
    nullable: true,
    description: 'An organization by ID or exact name (exactly one of them).',
  })
  async organization(@Args() { id, name }: OrganizationLookupArgs, @Ctx() ctx: Context): Promise<Organization | null> {
    if ((id == null) === (name == null)) throw badInput('organization: pass exactly one of `id`, `name`');
    if (id != null) {
      const gid = fromGlobalId(id);
      if (!gid || gid.type !== 'Organization') return null;
      const row = await ctx.loaders.organization.load(gid.id);
      return row && Organization.from(row);
    }
    const row = (await organizationsByNames(ctx.run, [name!]))[0];
    return row ? Organization.from(row) : null;
  }

  @Query(() => Category, {
    nullable: true,
    description: 'A category by slug (its lower-cased name; case-insensitive).',
  })
  async category(
    @Arg('slug', () => String, { description: 'Category slug or name.' }) slug: string,
    @Ctx() ctx: Context,
  ): Promise<Category | null> {
    const row = (await categoriesBySlugs(ctx.run, [slug.toLowerCase()]))[0];
    return row ? Category.from(row) : null;
  }

  @Query(() => Tag, { nullable: true, description: 'A tag by name.' })
  async tag(
    @Arg('name', () => String, { description: 'Tag name.' }) name: string,
    @Ctx() ctx: Context,
  ): Promise<Tag | null> {
    const row = (await tagsByNames(ctx.run, [name]))[0];
    return row ? Tag.from(row) : null;
  }
}
