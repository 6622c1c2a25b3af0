import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { BoardRow, CategoryRow, OrganizationRow, TagRow } from '../../db/queries/rows';
import { toGlobalId } from '../relay/node-id';
import { Node } from './node';

@ObjectType('Board', {
  implements: Node,
  simpleResolvers: true,
  description: 'A sector or concept board (Eastmoney market 90), linked to posts apart from stocks.',
})
export class Board implements Node {
  @Field(() => ID, { description: 'Global ID.' })
  get id(): string {
    return toGlobalId('Board', this.dbId);
  }

  dbId: number;

  @Field(() => String, { description: 'Board code: BK0493.' })
  code: string;

  @Field(() => String, { description: 'Eastmoney id: 90.BK0493.' })
  secid: string;

  @Field(() => String, { nullable: true, description: 'Name as posts link it (新能源).' })
  name: string | null;

  @Field(() => Int, { description: 'Number of posts linking this board.' })
  postCount: number;

  /** From its row. `this: void`: safe to pass unbound, as in rows.map(Board.from). */
  static from(this: void, row: BoardRow): Board {
    return Object.assign(new Board(), {
      dbId: row.id,
      code: row.code,
      secid: row.secid,
      name: row.name,
      postCount: row.postCount,
    });
  }
}

@ObjectType('Organization', {
  implements: Node,
  simpleResolvers: true,
  description: 'An issuer of stocks, a company named in posts, or a publishing outlet.',
})
export class Organization implements Node {
  @Field(() => ID, { description: 'Global ID.' })
  get id(): string {
    return toGlobalId('Organization', this.dbId);
  }

  dbId: number;

  @Field(() => String, { description: 'Name as the posts give it.' })
  name: string;

  @Field(() => Int, { description: 'Posts that name it or that it published.' })
  postCount: number;

  /** From its row. `this: void`: safe to pass unbound, as in rows.map(Organization.from). */
  static from(this: void, row: OrganizationRow): Organization {
    return Object.assign(new Organization(), {
      dbId: row.id,
      name: row.name,
      postCount: row.postCount,
    });
  }
}

@ObjectType('Category', { implements: Node, simpleResolvers: true, description: 'A Jekyll category.' })
export class Category implements Node {
  @Field(() => ID, { description: 'Global ID.' })
  get id(): string {
    return toGlobalId('Category', this.dbId);
  }

  dbId: number;

  @Field(() => String, { description: 'Lower-cased name, as in permalinks; the lookup key.' })
  slug: string;

  @Field(() => String, { description: 'Name as the first post wrote it.' })
  name: string;

  @Field(() => String, {
    nullable: true,
    description: 'Display title from the category page, exactly as the page says.',
  })
  title: string | null;

  @Field(() => Int, { description: 'Number of posts in the category.' })
  postCount: number;

  /** From its row. `this: void`: safe to pass unbound, as in rows.map(Category.from). */
  static from(this: void, row: CategoryRow): Category {
    return Object.assign(new Category(), {
      dbId: row.id,
      slug: row.slug,
      name: row.name,
      title: row.title,
      postCount: row.postCount,
    });
  }
}

@ObjectType('Tag', { implements: Node, simpleResolvers: true, description: 'A Jekyll tag.' })
export class Tag implements Node {
  @Field(() => ID, { description: 'Global ID.' })
  get id(): string {
    return toGlobalId('Tag', this.dbId);
  }

  dbId: number;

  @Field(() => String, { description: 'The tag as written.' })
  name: string;

  @Field(() => String, { description: 'URL-safe form of the name.' })
  slug: string;

  @Field(() => Int, { description: 'Number of posts with the tag.' })
  postCount: number;

  /** From its row. `this: void`: safe to pass unbound, as in rows.map(Tag.from). */
  static from(this: void, row: TagRow): Tag {
    return Object.assign(new Tag(), {
      dbId: row.id,
      name: row.name,
      slug: row.slug,
      postCount: row.postCount,
    });
  }
}
