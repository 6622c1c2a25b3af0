import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { PostCardRow, PostRow } from '../../db/queries/rows';
import { toGlobalId } from '../relay/node-id';
import { DateTimeScalar, Instant } from '../scalars/date-time';
import { Node } from './node';

@ObjectType('Post', {
  implements: Node,
  simpleResolvers: true,
  description: 'A post of an imported archive, served at its Jekyll permalink.',
})
export class Post implements Node {
  @Field(() => ID, { description: 'Global ID.' })
  get id(): string {
    return toGlobalId('Post', this.dbId);
  }

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

  /**
   * Whether the detail columns below came with the post's row (a page of posts); a post built from
   * its card row (related coverage) has them read when a query asks (PostResolver).
   */
  hasDetail: boolean;

  @Field(() => String, { description: "Plain-text excerpt (Jekyll's first paragraph, shortened)." })
  excerpt: string;

  @Field(() => String, { nullable: true, description: 'Original source link (the `<http…>` line of the body).' })
  sourceUrl: string | null;

  @Field(() => String, { description: 'Archive-relative path of the file the post was read from.' })
  path: string;

  @Field(() => String, { description: "sha256 of the file's bytes." })
  contentHash: string;

  publisherId: number | null;

  /** From its row. `this: void`: safe to pass unbound, as in rows.map(Post.from). */
  static from(this: void, row: PostRow | PostCardRow): Post {
    const p = new Post();
    p.dbId = row.id;
    p.slug = row.slug;
    p.url = row.url;
    p.title = row.title;
    p.date = { ms: Number(row.dateMs), offset: row.dateOffset };
    p.hasDetail = 'excerpt' in row;
    if ('excerpt' in row) {
      p.excerpt = row.excerpt;
      p.sourceUrl = row.sourceUrl;
      p.path = row.path;
      p.contentHash = row.contentHash;
    }
    p.publisherId = row.publisherId;
    return p;
  }
}

@ObjectType({ simpleResolvers: true, description: "A heading of a post's body: a table of contents' entry." })
export class Heading {
  @Field(() => Int, { description: '1 for h1 ... 6 for h6.' })
  level: number;

  @Field(() => String, { description: 'Its text, whitespace collapsed.' })
  text: string;

  @Field(() => String, {
    description:
      'The id Jekyll (kramdown auto_ids) gives the heading, unique within the post; the HTML served carries no ids, a frontend that links to headings adds them.',
  })
  anchor: string;
}
