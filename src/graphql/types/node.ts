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

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge.' })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge.' })
  endCursor: string | null;
}

/** From the page's edge cursors (only the first and the last are encoded). */
export function pageInfo(cursors: EdgeCursor[], forward: boolean, hasMore: boolean, hadCursor: boolean): PageInfo {
  const info = new PageInfo();
  // Relay: moving forward, a cursor we came from implies items before it (and vice versa).
  info.hasNextPage = forward ? hasMore : hadCursor;
  info.hasPreviousPage = forward ? hadCursor : hasMore;
  info.startCursor = cursors.length ? cursors[0]() : null;
  info.endCursor = cursors.length ? cursors[cursors.length - 1]() : null;
  return info;
}
