import { Field, ID, ObjectType } from 'type-graphql';
import type DataLoader from 'dataloader';
import type { PostCardRow, PostDetailRow, PostRow } from '../../db/queries/rows';
import { toGlobalId } from '../relay/node-id';
import { DateTimeScalar, Instant } from '../scalars/date-time';
import { Node } from './node';

/**
 * A field of a post built from its card row (related coverage): graphql-js calls a function-valued
 * property with (args, context), so the detail columns are read only when a query asks for them,
 * one statement for all such posts of the request.
 */
type Lazy<T> = (
  args: unknown,
  ctx: { loaders: { postDetail: DataLoader<number, PostDetailRow | null> } },
) => Promise<T>;

function lazyDetail<K extends keyof PostDetailRow>(
  id: number,
  key: K,
  missing: PostDetailRow[K],
): Lazy<PostDetailRow[K]> {
  return async (_args, ctx) => (await ctx.loaders.postDetail.load(id))?.[key] ?? missing;
}

@ObjectType('Post', {
  implements: Node,
  simpleResolvers: true,
  description: 'A post of an imported archive, served at its Jekyll permalink.',
})
export class Post implements Node {
  @Field(() => ID, { description: 'Global ID.' })
  id: string;

  dbId: number;

  @Field(() => String, { description: 'Slug from the file name (or the `slug:` front matter).' })
  slug: string;

  @Field(() => String, {
    description: 'Permalink, as Jekyll 4 builds it (/xiningwanbao/2022/06/16/NW202206162414061171.html).',
  })
  url: string;

  @Field(() => String, { description: 'Title from the front matter.' })
  title: string;

  @Field(() => DateTimeScalar, { description: 'Publication instant, printed with the offset it was written with.' })
  date: Instant;

  @Field(() => String, { description: "Plain-text excerpt (Jekyll's first paragraph, shortened)." })
  excerpt: string | Lazy<string>;

  @Field(() => String, { nullable: true, description: 'Original source link (the `<http…>` line of the body).' })
  sourceUrl: string | null | Lazy<string | null>;

  @Field(() => String, { description: 'Archive-relative path of the file the post was read from.' })
  path: string | Lazy<string>;

  @Field(() => String, { description: "sha256 of the file's bytes." })
  contentHash: string | Lazy<string>;

  publisherId: number | null;

  /** From its row. `this: void`: safe to pass unbound, as in rows.map(Post.from). */
  static from(this: void, row: PostRow | PostCardRow): Post {
    const p = new Post();
    p.dbId = row.id;
    p.id = toGlobalId('Post', row.id);
    p.slug = row.slug;
    p.url = row.url;
    p.title = row.title;
    p.date = { ms: Number(row.dateMs), offset: row.dateOffset };
    if ('excerpt' in row) {
      p.excerpt = row.excerpt;
      p.sourceUrl = row.sourceUrl;
      p.path = row.path;
      p.contentHash = row.contentHash;
    } else {
      p.excerpt = lazyDetail(row.id, 'excerpt', '');
      p.sourceUrl = lazyDetail(row.id, 'sourceUrl', null);
      p.path = lazyDetail(row.id, 'path', '');
      p.contentHash = lazyDetail(row.id, 'contentHash', '');
    }
    p.publisherId = row.publisherId;
    return p;
  }
}
