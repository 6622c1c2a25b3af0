import { ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { EdgeCursor } from '../relay/page-args';
import { PageInfo } from './node';

/** Shared shape of connection objects: totalCount is computed only when asked for. */
export abstract class CountedConnection {
  pageInfo: PageInfo;
  count: () => Promise<number> | number;
}

/** How descriptions name the nodes: one and several (spelled out: English plurals are irregular). */
export interface Noun {
  one: string;
  many: string;
}

/**
 * An edge whose cursor is encoded only when a query selects it (edgeCursor). Its own type is never
 * in the schema: nothing refers to it, and its subclasses inherit its field.
 */
@ObjectType({ simpleResolvers: true, description: 'An edge whose cursor is encoded when asked.' })
export abstract class CursorEdge {
  cursorOf: EdgeCursor;

  @Field(() => String, { description: 'Opaque cursor of this edge.' })
  get cursor(): string {
    return this.cursorOf();
  }
}

/** A Relay connection type `<Name>Connection` with edges `<Name>Edge { cursor node }`. */
export function connectionType<TNode extends object>(name: string, node: () => ClassType<TNode>, what: Noun) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `An edge to a ${what.one}.` })
  class Edge extends CursorEdge {
    @Field(node, { description: `The ${what.one}.` })
    node: TNode;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true, description: `A page of ${what.many}.` })
  class Connection extends CountedConnection {
    @Field(() => [Edge], { description: 'The edges of this page.' })
    edges: Edge[];

    @Field(() => PageInfo, { description: 'Pagination state.' })
    declare pageInfo: PageInfo;

    @Field(() => Int, { description: `Number of ${what.many} in the whole list, across pages.` })
    totalCount(): Promise<number> | number {
      return this.count();
    }
  }

  return { Edge, Connection };
}
