import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ChangeRow } from '../../db/queries/changes';
import { toGlobalId } from '../relay/node-id';
import type { EdgeCursor } from '../relay/page-args';
import { DateTimeScalar, Instant } from '../scalars/date-time';
import { PageInfo } from './node';

export enum PostChangeKind {
  ADDED = 'ADDED',
  UPDATED = 'UPDATED',
  REMOVED = 'REMOVED',
}
registerEnumType(PostChangeKind, {
  name: 'PostChangeKind',
  description: 'What happened to a post.',
  valuesConfig: {
    ADDED: { description: 'A new post (a permalink no post held, or held by a post removed before).' },
    UPDATED: { description: 'The post was rewritten in place: same id and permalink, new content.' },
    REMOVED: {
      description: 'The post is gone (its file was deleted and pruned, stopped being a post, or moved its permalink).',
    },
  },
});

@ObjectType('PostChange', {
  simpleResolvers: true,
  description: 'One entry of the change feed: a post added, updated or removed by an import.',
})
export class PostChange {
  @Field(() => PostChangeKind, { description: 'What happened.' })
  kind: PostChangeKind;

  @Field(() => ID, {
    description:
      "The post's global ID (`Post.id`), also once it is removed: post IDs are never reused, so it names that post only.",
  })
  id: string;

  @Field(() => String, { description: "The post's permalink (a post keeps one for life)." })
  url: string;

  @Field(() => DateTimeScalar, { description: 'When the import committed the change (UTC).' })
  at: Instant;

  postId: number;

  static from(this: void, row: ChangeRow): PostChange {
    const c = new PostChange();
    c.kind = row.kind as PostChangeKind;
    c.postId = row.postId;
    c.id = toGlobalId('Post', row.postId);
    c.url = row.url;
    c.at = { ms: row.atMs, offset: 0 };
    return c;
  }
}

@ObjectType('PostChangeEdge', { simpleResolvers: true, description: 'An edge to a change.' })
export class PostChangeEdge {
  /** Encodes this change's cursor. */
  cursorOf: EdgeCursor;

  @Field(() => String, { description: 'Opaque cursor of this change: pass it as `after` to continue after it.' })
  get cursor(): string {
    return this.cursorOf();
  }

  @Field(() => PostChange, { description: 'The change.' })
  node: PostChange;
}

@ObjectType('PostChangeConnection', { simpleResolvers: true, description: 'A page of the change feed, oldest first.' })
export class PostChangeConnection {
  @Field(() => [PostChangeEdge], { description: 'The changes of this page.' })
  edges: PostChangeEdge[];

  @Field(() => PageInfo, {
    description:
      'Pagination state. `endCursor` is never null: on an empty page it is where the client is (the `after` given, else the head), to ask again with later.',
  })
  pageInfo: PageInfo;

  @Field(() => String, {
    description:
      'Cursor of the newest change now (the feed head): pass it as `after` to follow only the changes made from now on.',
  })
  headCursor: string;

  count: () => Promise<number>;

  @Field(() => Int, { description: 'Number of changes the feed keeps, across pages.' })
  totalCount(): Promise<number> {
    return this.count();
  }
}
