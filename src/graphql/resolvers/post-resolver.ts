import { Args, ArgsType, Ctx, Field, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { SAME_STORY_MAX } from '../../db/queries/stories';
import {
  CJK_CHARS_PER_MINUTE,
  headingsOf,
  readingMinutes,
  textLength,
  wordCount,
  WORDS_PER_MINUTE,
} from '../../ingest/render/reading';
import { ForwardArgs } from './args';
import type { Context } from '../context';
import { loadRelated, relatedConnection, relatedPage } from './related-coverage';
import { checkSize } from '../relay/page-args';
import { RelatedPostConnection } from '../types/connections';
import { Via } from '../types/enums';
import { Heading, Post } from '../types/post';
import { Stock, StockMention } from '../types/stock';
import { Board, Category, Organization, Tag } from '../types/taxonomy';

/**
 * One of a post's detail columns: from the row it came with, else (a post shown as a link) read
 * for all such posts of the request in one statement.
 */
function detail<K extends 'excerpt' | 'sourceUrl' | 'path' | 'contentHash'>(
  post: Post,
  ctx: Context,
  key: K,
  missing: Post[K],
): Post[K] | Promise<Post[K]> {
  if (post.hasDetail) return post[key];
  return ctx.loaders.postDetail.load(post.dbId).then((row) => (row ? (row[key] as Post[K]) : missing));
}

/**
 * One of a post's lists (categories, stocks, ...): at once where the post's links and their names
 * are in memory (a page fetched them with its posts: no promise per field), else loaded.
 */
function ofPost<R, T>(
  list: { now: (postId: number) => R[] | undefined; load: (postId: number) => Promise<R[]> },
  post: Post,
  to: (row: R) => T,
): T[] | Promise<T[]> {
  const now = list.now(post.dbId);
  return now ? now.map(to) : list.load(post.dbId).then((rows) => rows.map(to));
}

function viaOf(m: { embedCount: number; linkCount: number; textCount: number }): Via[] {
  const via: Via[] = [];
  if (m.embedCount) via.push(Via.EMBED);
  if (m.linkCount) via.push(Via.LINK);
  if (m.textCount) via.push(Via.TEXT);
  return via;
}

@ArgsType()
class SameStoryArgs {
  // A default the schema states, so the cost analysis counts a page of 20 when none is asked.
  @Field(() => Int, { nullable: true, defaultValue: 20, description: `At most this many, 1..${SAME_STORY_MAX}.` })
  first?: number;
}

@Resolver(() => Post)
export class PostResolver {
  // The detail columns: declared (and described) on Post, resolved here.
  @FieldResolver(() => String)
  excerpt(@Root() post: Post, @Ctx() ctx: Context): string | Promise<string> {
    return detail(post, ctx, 'excerpt', '');
  }

  @FieldResolver(() => String, { nullable: true })
  sourceUrl(@Root() post: Post, @Ctx() ctx: Context): string | null | Promise<string | null> {
    return detail(post, ctx, 'sourceUrl', null);
  }

  @FieldResolver(() => String)
  path(@Root() post: Post, @Ctx() ctx: Context): string | Promise<string> {
    return detail(post, ctx, 'path', '');
  }

  @FieldResolver(() => String)
  contentHash(@Root() post: Post, @Ctx() ctx: Context): string | Promise<string> {
    return detail(post, ctx, 'contentHash', '');
  }

  @FieldResolver(() => String, {
    description: 'Sanitized HTML rendering of the body: no scripts, styles, frames or event handlers.',
  })
  async html(@Root() post: Post, @Ctx() ctx: Context): Promise<string> {
    return (await ctx.loaders.postContent.load(post.dbId))?.html ?? '';
  }

  @FieldResolver(() => String, { description: 'Plain-text rendering of the body.' })
  async text(@Root() post: Post, @Ctx() ctx: Context): Promise<string> {
    return (await ctx.loaders.postContent.load(post.dbId))?.text ?? '';
  }

  @FieldResolver(() => Int, {
    description:
      'Words in the text, as word processors count Chinese: each CJK character one word, each run of other letters or digits one.',
  })
  async wordCount(@Root() post: Post, @Ctx() ctx: Context): Promise<number> {
    return wordCount(textLength(await this.text(post, ctx)));
  }

  @FieldResolver(() => Int, {
    description: `Minutes to read the text, rounded up: CJK characters at ${CJK_CHARS_PER_MINUTE} a minute, other words at ${WORDS_PER_MINUTE}; 0 for an empty text.`,
  })
  async readingTime(@Root() post: Post, @Ctx() ctx: Context): Promise<number> {
    return readingMinutes(textLength(await this.text(post, ctx)));
  }

  @FieldResolver(() => [Heading], { description: "The body's headings (h1-h6) in order: a table of contents." })
  async headings(@Root() post: Post, @Ctx() ctx: Context): Promise<Heading[]> {
    return headingsOf(await this.html(post, ctx)).map((h) => Object.assign(new Heading(), h));
  }

  @FieldResolver(() => [Category], { description: 'Categories in front-matter order.' })
  categories(@Root() post: Post, @Ctx() ctx: Context): Category[] | Promise<Category[]> {
    return ofPost(ctx.loaders.categoriesOfPost, post, Category.from);
  }

  @FieldResolver(() => [Tag], { description: 'Tags in front-matter order.' })
  tags(@Root() post: Post, @Ctx() ctx: Context): Tag[] | Promise<Tag[]> {
    return ofPost(ctx.loaders.tagsOfPost, post, Tag.from);
  }

  @FieldResolver(() => Organization, {
    nullable: true,
    description: 'The publishing outlet (from 文章来源, the digest, or the …新闻 tag).',
  })
  publisher(@Root() post: Post, @Ctx() ctx: Context): Organization | null | Promise<Organization | null> {
    if (post.publisherId === null) return null;
    const now = ctx.loaders.namedNow('organization', post.publisherId);
    if (now) return Organization.from(now);
    return ctx.loaders.organization.load(post.publisherId).then((row) => row && Organization.from(row));
  }

  @FieldResolver(() => [Stock], { description: 'Linked stocks, most-mentioned first. Boards are never among them.' })
  stocks(@Root() post: Post, @Ctx() ctx: Context): Stock[] | Promise<Stock[]> {
    return ofPost(ctx.loaders.stocksOfPost, post, (m) => Stock.from(m.target));
  }

  @FieldResolver(() => [StockMention], {
    description: 'Linked stocks with how often and how the post names each, most-mentioned first.',
  })
  stockMentions(@Root() post: Post, @Ctx() ctx: Context): StockMention[] | Promise<StockMention[]> {
    return ofPost(ctx.loaders.stocksOfPost, post, (m) =>
      Object.assign(new StockMention(), {
        stock: Stock.from(m.target),
        count: m.count,
        via: viaOf(m),
        embedCount: m.embedCount,
        linkCount: m.linkCount,
        textCount: m.textCount,
      }),
    );
  }

  @FieldResolver(() => [Board], { description: 'Linked sector/concept boards, most-mentioned first.' })
  boards(@Root() post: Post, @Ctx() ctx: Context): Board[] | Promise<Board[]> {
    return ofPost(ctx.loaders.boardsOfPost, post, (m) => Board.from(m.target));
  }

  @FieldResolver(() => [Organization], {
    description:
      'Organizations the post names (issuers of linked stocks, companies in the text), most-mentioned first.',
  })
  organizations(@Root() post: Post, @Ctx() ctx: Context): Organization[] | Promise<Organization[]> {
    return ofPost(ctx.loaders.organizationsOfPost, post, (m) => Organization.from(m.target));
  }

  @FieldResolver(() => [Post], {
    description:
      'Other posts that tell the same story: near-duplicate text (the same wire text republished by another outlet) published within three days of this one, oldest first. Empty when none is known or the text is too short to judge.',
  })
  async sameStory(@Root() post: Post, @Ctx() ctx: Context, @Args() { first }: SameStoryArgs): Promise<Post[]> {
    const limit = checkSize('first', first ?? 20, SAME_STORY_MAX);
    return (await ctx.loaders.sameStory.load({ id: post.dbId, limit })).map((row) => Post.from(row));
  }

  @FieldResolver(() => RelatedPostConnection, {
    description:
      'Other posts ranked by what they share with this one: stocks first, weighted by rarity, then organizations, boards, tags; ties by date proximity. Never the post itself.',
  })
  relatedCoverage(
    @Root() post: Post,
    @Ctx() ctx: Context,
    @Args() args: ForwardArgs,
  ): RelatedPostConnection | Promise<RelatedPostConnection> {
    const { offset, limit } = relatedPage(args);
    // Read with the page where it showed this field (readRelatedAhead): no promise, no loader round.
    const now = ctx.loaders.relatedNow(post.dbId, offset, limit);
    if (now) return relatedConnection(ctx, post.dbId, now, offset, limit);
    return loadRelated(ctx, post.dbId, offset, limit).then((read) =>
      relatedConnection(ctx, post.dbId, read, offset, limit),
    );
  }
}
