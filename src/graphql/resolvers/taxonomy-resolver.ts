import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, FieldResolver, Resolver, Root, Info } from 'type-graphql';
import type { Context } from '../context';
import { PostConnection } from '../types/connections';
import { Stock } from '../types/stock';
import { Board, Category, Organization, Tag } from '../types/taxonomy';
import { PostsArgs } from './args';
import { postConnection } from './post-connection';

@Resolver(() => Board)
export class BoardResolver {
  @FieldResolver(() => PostConnection, { description: 'Posts linking this board.' })
  posts(
    @Root() board: Board,
    @Ctx() ctx: Context,
    @Args() args: PostsArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<PostConnection> {
    return postConnection(ctx, { kind: 'board', id: board.dbId }, args, info);
  }
}

@Resolver(() => Organization)
export class OrganizationResolver {
  @FieldResolver(() => [Stock], { description: 'Stocks it issues.' })
  async stocks(@Root() org: Organization, @Ctx() ctx: Context): Promise<Stock[]> {
    return (await ctx.loaders.stocksOfOrganization.load(org.dbId)).map(Stock.from);
  }

  @FieldResolver(() => PostConnection, { description: 'Posts that name it or that it published.' })
  posts(
    @Root() org: Organization,
    @Ctx() ctx: Context,
    @Args() args: PostsArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<PostConnection> {
    return postConnection(ctx, { kind: 'organization', id: org.dbId }, args, info);
  }
}

@Resolver(() => Category)
export class CategoryResolver {
  @FieldResolver(() => PostConnection, { description: 'Posts in this category.' })
  posts(
    @Root() category: Category,
    @Ctx() ctx: Context,
    @Args() args: PostsArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<PostConnection> {
    return postConnection(ctx, { kind: 'category', id: category.dbId }, args, info);
  }
}

@Resolver(() => Tag)
export class TagResolver {
  @FieldResolver(() => PostConnection, { description: 'Posts with this tag.' })
  posts(
    @Root() tag: Tag,
    @Ctx() ctx: Context,
    @Args() args: PostsArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<PostConnection> {
    return postConnection(ctx, { kind: 'tag', id: tag.dbId }, args, info);
  }
}
