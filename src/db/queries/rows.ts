// Row shapes the read queries return: each is a pick of its entity (the one description of a
// table), selected with its columns aliased to the entity's property names.
import { BoardEntity, CategoryEntity, OrganizationEntity, PostEntity, StockEntity, TagEntity } from '../../entities';
import type { MentionCounts } from '../../entities/mention-counts';
import { columnsOf, selectList } from '../schema/columns';

/** What names and places a post: enough for a link to it (related coverage asks no more). */
const POST_CARD_PROPERTIES = ['id', 'url', 'slug', 'title', 'dateMs', 'dateOffset', 'publisherId'] as const;
/** The rest of a post's small columns: the excerpt alone costs more to read than the card. */
const POST_DETAIL_PROPERTIES = ['excerpt', 'sourceUrl', 'path', 'contentHash'] as const;
const POST_PROPERTIES = [...POST_CARD_PROPERTIES, ...POST_DETAIL_PROPERTIES] as const;

/** A post without its large columns (HTML, text, body, front matter). */
export type PostRow = Pick<PostEntity, (typeof POST_PROPERTIES)[number]>;
export type PostCardRow = Pick<PostEntity, (typeof POST_CARD_PROPERTIES)[number]>;
export type PostDetailRow = Pick<PostEntity, 'id' | (typeof POST_DETAIL_PROPERTIES)[number]>;
/** A post's HTML and text, unpacked. */
export type PostContentRow = { id: number; html: string; text: string };
/** A search hit: the post, its text as stored (for the snippet: unpackText) and its score. */
export type SearchHitRow = PostRow & Pick<PostEntity, 'text'> & { score: number };
export type CategoryRow = CategoryEntity;
export type TagRow = TagEntity;
export type StockRow = StockEntity;
export type BoardRow = BoardEntity;
export type OrganizationRow = OrganizationEntity;

/** A stock, board or organization a post names, with how it names it. */
export type Mention<V> = { target: V } & Pick<MentionCounts, 'count' | 'embedCount' | 'linkCount' | 'textCount'>;

/** A link from a post to a stock, board or organization, with how it was found. */
export type MentionRow = { postId: number; targetId: number } & Pick<
  MentionCounts,
  'count' | 'embedCount' | 'linkCount' | 'textCount'
>;

const all = <E extends object>(entity: abstract new (...args: never[]) => E) =>
  columnsOf(entity).map((c) => c.property);

export const POST_COLUMNS = selectList(PostEntity, 'p', POST_PROPERTIES);
export const POST_CARD_COLUMNS = selectList(PostEntity, 'p', POST_CARD_PROPERTIES);
export const POST_DETAIL_COLUMNS = selectList(PostEntity, 'p', ['id', ...POST_DETAIL_PROPERTIES]);
export const SEARCH_HIT_COLUMNS = selectList(PostEntity, 'p', [...POST_PROPERTIES, 'text']);
export const CATEGORY_COLUMNS = selectList(CategoryEntity, 'c', all(CategoryEntity));
export const TAG_COLUMNS = selectList(TagEntity, 't', all(TagEntity));
export const STOCK_COLUMNS = selectList(StockEntity, 's', all(StockEntity));
export const BOARD_COLUMNS = selectList(BoardEntity, 'b', all(BoardEntity));
export const ORGANIZATION_COLUMNS = selectList(OrganizationEntity, 'o', all(OrganizationEntity));
