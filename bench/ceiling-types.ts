/**
 * The in-memory ceiling's GraphQL types: the front page's shape only (FRONT_PAGE in queries.ts),
 * under the product's type names and nullability. Every field is a plain property read by
 * graphql-js's default resolver (simpleResolvers), except relatedCoverage, which takes `first`.
 * Dates, ids and cursors are stored formatted: formatting them is our work, not the framework's.
 */
import { Arg, Field, Float, ID, Int, ObjectType } from 'type-graphql';

/** Related posts the ceiling can page through: the front page asks for 3. */
export const RELATED_HELD = 3;

@ObjectType('Category', { simpleResolvers: true })
export class CeilingCategory {
  @Field(() => String)
  slug: string;

  @Field(() => String)
  name: string;
}

@ObjectType('Tag', { simpleResolvers: true })
export class CeilingTag {
  @Field(() => String)
  name: string;
}

@ObjectType('Organization', { simpleResolvers: true })
export class CeilingOrganization {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;
}

@ObjectType('Stock', { simpleResolvers: true })
export class CeilingStock {
  @Field(() => String)
  symbol: string;

  @Field(() => String, { nullable: true })
  name: string | null;
}

@ObjectType('PageInfo', { simpleResolvers: true })
export class CeilingPageInfo {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => Boolean)
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

/**
 * What a related edge's node holds. An interface, not CeilingPost: decorator metadata would name
 * CeilingPost (defined below, as it needs these types) before it exists.
 */
export interface RelatedNode {
  id: string;
  url: string;
  title: string;
  date: string;
}

@ObjectType('RelatedPostEdge', { simpleResolvers: true })
export class CeilingRelatedEdge {
  /** 1 = most related. */
  rank: number;

  @Field(() => String)
  cursor: string;

  @Field(() => CeilingPost)
  node: RelatedNode;

  @Field(() => Float)
  score: number;
}

@ObjectType('RelatedPostConnection', { simpleResolvers: true })
export class CeilingRelatedConnection {
  @Field(() => [CeilingRelatedEdge])
  edges: CeilingRelatedEdge[];

  @Field(() => CeilingPageInfo)
  pageInfo: CeilingPageInfo;
}

@ObjectType('Post', { simpleResolvers: true })
export class CeilingPost implements RelatedNode {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  url: string;

  @Field(() => String)
  title: string;

  /** RFC 3339 in the offset the post was written with, as the product's DateTime prints it. */
  @Field(() => String)
  date: string;

  @Field(() => String)
  excerpt: string;

  @Field(() => [CeilingCategory])
  categories: CeilingCategory[];

  @Field(() => [CeilingTag])
  tags: CeilingTag[];

  @Field(() => CeilingOrganization, { nullable: true })
  publisher: CeilingOrganization | null;

  @Field(() => [CeilingStock])
  stocks: CeilingStock[];

  /** This post's cursor in `posts`. */
  cursor: string;

  /** How many related posts are ranked for it, up to RELATED_HELD + 1 (the one more tells hasNextPage). */
  relatedRanked: number;

  /** The edges of those that still exist. */
  related: CeilingRelatedEdge[];

  @Field(() => CeilingRelatedConnection)
  relatedCoverage(@Arg('first', () => Int, { nullable: true }) first?: number): CeilingRelatedConnection {
    const n = first ?? 20;
    if (!Number.isInteger(n) || n < 1 || n > RELATED_HELD)
      throw new Error(`the ceiling holds ${RELATED_HELD} related posts a post; first: ${n} is out of range`);
    const edges = this.related.filter((e) => e.rank <= n);
    return {
      edges,
      pageInfo: {
        hasNextPage: this.relatedRanked > n,
        hasPreviousPage: false,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }
}

@ObjectType('PostEdge', { simpleResolvers: true })
export class CeilingPostEdge {
  @Field(() => String)
  cursor: string;

  @Field(() => CeilingPost)
  node: CeilingPost;
}

@ObjectType('PostConnection', { simpleResolvers: true })
export class CeilingPostConnection {
  @Field(() => [CeilingPostEdge])
  edges: CeilingPostEdge[];

  @Field(() => CeilingPageInfo)
  pageInfo: CeilingPageInfo;
}
