import type { Context } from '../context';
import { fromGlobalId } from '../relay/node-id';
import { Node } from '../types/node';
import { Post } from '../types/post';
import { Stock } from '../types/stock';
import { Board, Category, Organization, Tag } from '../types/taxonomy';

/** Any object by global id, through the per-request loaders; null for ids that are not ours. */
export async function loadNode(ctx: Context, id: string): Promise<Node | null> {
  const gid = fromGlobalId(id);
  if (!gid) return null;
  const l = ctx.loaders;
  switch (gid.type) {
    case 'Post': {
      const r = await l.post.load(gid.id);
      return r && Post.from(r);
    }
    case 'Stock': {
      const r = await l.stock.load(gid.id);
      return r && Stock.from(r);
    }
    case 'Board': {
      const r = await l.board.load(gid.id);
      return r && Board.from(r);
    }
    case 'Organization': {
      const r = await l.organization.load(gid.id);
      return r && Organization.from(r);
    }
    case 'Category': {
      const r = await l.category.load(gid.id);
      return r && Category.from(r);
    }
    case 'Tag': {
      const r = await l.tag.load(gid.id);
      return r && Tag.from(r);
    }
  }
}
