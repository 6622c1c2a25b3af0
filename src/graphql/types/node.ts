import { Field, ID, InterfaceType, ObjectType } from 'type-graphql';
import type { EdgeCursor } from '../relay/page-args';

@InterfaceType({ description: 'An object with a global ID, fetchable with `node(id:)`.' })
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global ID.' })
  id: string;
}

@ObjectType({ description: 'Relay pagination state of a connection.', simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean, { description: 'More items follow the last edge.' })
  hasNextPage: boolean;

  @Field(() => Boolean, { description: 'More items precede the first edge.' })
  hasPreviousPage: boolean;

  // Encoded when read: a front page's 20 related-coverage connections would otherwise encode 40
  // cursors that the page does not show.
  private start: EdgeCursor | string | null = null;
  private end: EdgeCursor | string | null = null;

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge.' })
  get startCursor(): string | null {
    if (typeof this.start === 'function') this.start = this.start();
    return this.start;
  }
  set startCursor(v: string | null) {
    this.start = v;
  }

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge.' })
  get endCursor(): string | null {
    if (typeof this.end === 'function') this.end = this.end();
    return this.end;
  }
  set endCursor(v: string | null) {
    this.end = v;
  }

  /** From the page's edge cursors: the first and the last, encoded when read. */
  static of(this: void, cursors: EdgeCursor[], forward: boolean, hasMore: boolean, hadCursor: boolean): PageInfo {
    const info = new PageInfo();
    // Relay: moving forward, a cursor we came from implies items before it (and vice versa).
    info.hasNextPage = forward ? hasMore : hadCursor;
    info.hasPreviousPage = forward ? hadCursor : hasMore;
    info.start = cursors.length ? cursors[0] : null;
    info.end = cursors.length ? cursors[cursors.length - 1] : null;
    return info;
  }
}

/** From the page's edge cursors (only the first and the last are encoded, when read). */
export const pageInfo = PageInfo.of;
