import {
  BoardEntity,
  CategoryEntity,
  OrganizationEntity,
  PostBoardEntity,
  PostCategoryEntity,
  PostEntity,
  PostOrganizationEntity,
  PostStockEntity,
  PostTagEntity,
  SourceFileEntity,
  StockEntity,
  TagEntity,
} from '../../entities';
import { repackContent, unpackContent, type StoredText } from '../../ingest/render/packed';
import type { PostRecord, StoredRendering } from '../../ingest/types';
import { selectList } from '../schema/columns';
import type { FileMeta, SourceFileRow } from './archive-writer';
import type { LinkChange } from './read-model';
import { categorySlug, mentionTotal } from './rules';

// The rows an import writes, built once from records for both databases. Their shapes are the
// entities' (src/entities); the column lists come from the same classes (../schema/columns.ts).

export type EntityKind = 'category' | 'tag' | 'stock' | 'board' | 'organization';
export const ENTITY_KINDS: readonly EntityKind[] = ['category', 'tag', 'stock', 'board', 'organization'];

type Class<E> = abstract new (...args: never[]) => E;

/** Each linked thing's table, the column that identifies it, and the columns its count lives in. */
export const ENTITY = {
  category: { entity: CategoryEntity, key: 'slug', count: 'postCount' },
  tag: { entity: TagEntity, key: 'name', count: 'postCount' },
  stock: { entity: StockEntity, key: 'symbol', count: 'coverageCount' },
  board: { entity: BoardEntity, key: 'code', count: 'postCount' },
  organization: { entity: OrganizationEntity, key: 'name', count: 'postCount' },
} as const satisfies Record<EntityKind, { entity: Class<object>; key: string; count: string }>;

/** The link table from posts to each kind, and its foreign key. */
export const LINK = {
  category: { entity: PostCategoryEntity, target: 'categoryId' },
  tag: { entity: PostTagEntity, target: 'tagId' },
  stock: { entity: PostStockEntity, target: 'stockId' },
  board: { entity: PostBoardEntity, target: 'boardId' },
  organization: { entity: PostOrganizationEntity, target: 'organizationId' },
} as const satisfies Record<EntityKind, { entity: Class<object>; target: string }>;

/** What a new row of each kind is inserted with (its key among them). */
export interface EntityValues {
  category: Pick<CategoryEntity, 'name' | 'slug'>;
  tag: Pick<TagEntity, 'name' | 'slug'>;
  stock: Pick<StockEntity, 'symbol' | 'code' | 'market' | 'marketId' | 'exchange' | 'secid' | 'name'>;
  board: Pick<BoardEntity, 'code' | 'secid' | 'name'>;
  organization: Pick<OrganizationEntity, 'name'>;
}

export type EntityIds = Record<EntityKind, Map<string, number>>;

export interface LinkRows {
  category: PostCategoryEntity[];
  tag: PostTagEntity[];
  stock: PostStockEntity[];
  board: PostBoardEntity[];
  organization: PostOrganizationEntity[];
}

export function emptyLinkRows(): LinkRows {
  return { category: [], tag: [], stock: [], board: [], organization: [] };
}

export type PostValues = Omit<PostEntity, 'id'>;

/** What the planner reads of a stored post (StoredPost), and its permalink. */
export const STORED_POST_COLUMNS = selectList(PostEntity, 'p', [
  'id',
  'url',
  'archiveId',
  'path',
  'contentHash',
  'title',
  'dateMs',
  'publisherId',
]);

/** What the importer reads of a file's row (SourceFileRow), its archive and path, in select-list order. */
export const FILE_ROW_PROPERTIES = [
  'id',
  'archiveId',
  'path',
  'size',
  'mtimeMs',
  'fileHash',
  'status',
  'reason',
  'url',
  'publishAtMs',
] as const satisfies readonly (keyof SourceFileEntity)[];
export const FILE_ROW_COLUMNS = selectList(SourceFileEntity, 'f', FILE_ROW_PROPERTIES);

/**
 * File rows from arrays in FILE_ROW_COLUMNS order (a raw statement): better-sqlite3 builds a row
 * object key by key in C++, which took half of an unchanged re-import's 0.3 s reading 100k rows.
 */
export function fileRowsOf(rows: readonly unknown[][]): (SourceFileRow & { path: string })[] {
  return rows.map((r) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < FILE_ROW_PROPERTIES.length; i++) row[FILE_ROW_PROPERTIES[i]] = r[i];
    return row as unknown as SourceFileRow & { path: string };
  });
}

/** A post's HTML and text in the form its database keeps: packed (SQLite) or text (PostgreSQL). */
function storedContent(r: StoredRendering, packed: boolean, what: string): { html: StoredText; text: StoredText } {
  if (!packed) return unpackContent(r.html, r.text, what);
  // Packed on the parser's thread already, or else here.
  if (typeof r.html !== 'string' && typeof r.text !== 'string') return { html: r.html, text: r.text };
  return repackContent(r.html, r.text, what);
}

/**
 * The post row a record gives. `packed`: the HTML and text as SQLite stores them (packed by the
 * parser's thread when the import asked it to, else here); PostgreSQL stores them as text.
 */
export function postValues(meta: FileMeta, rec: PostRecord, publisherId: number | null, packed: boolean): PostValues {
  return {
    url: rec.url,
    slug: rec.slug,
    title: rec.title,
    dateMs: rec.dateMs,
    dateOffset: rec.dateOffset,
    excerpt: rec.rendering.excerpt,
    ...storedContent(rec.rendering, packed, `${meta.path}:`),
    sourceUrl: rec.rendering.sourceUrl,
    archiveId: meta.archiveId,
    path: meta.path,
    contentHash: rec.contentHash,
    publisherId,
  };
}

function id(ids: EntityIds, kind: EntityKind, key: string): number {
  const found = ids[kind].get(key);
  if (found === undefined) throw new Error(`import: no ${kind} id for ${key} (the plan did not ask for it)`);
  return found;
}

/**
 * A post's link rows: a category once (`Foo` and `foo` are one, at its first place), and an
 * organization named twice as one row with the counts added.
 */
export function addLinkRows(out: LinkRows, postId: number, rec: PostRecord, ids: EntityIds): void {
  const dateMs = rec.dateMs;
  const seen = new Set<number>();
  rec.categories.forEach((name, position) => {
    const categoryId = id(ids, 'category', categorySlug(name));
    if (seen.has(categoryId)) return;
    seen.add(categoryId);
    out.category.push({ postId, categoryId, position, dateMs });
  });
  rec.tags.forEach((name, position) => out.tag.push({ postId, tagId: id(ids, 'tag', name), position, dateMs }));
  for (const m of rec.extraction.stocks) {
    out.stock.push({ postId, stockId: id(ids, 'stock', m.symbol), ...counted(m.counts), dateMs });
  }
  for (const b of rec.extraction.boards) {
    out.board.push({ postId, boardId: id(ids, 'board', b.code), ...counted(b.counts), dateMs });
  }
  const orgs = new Map<number, PostOrganizationEntity>();
  for (const o of rec.extraction.organizations) {
    const organizationId = id(ids, 'organization', o.name);
    const c = counted(o.counts);
    const row = orgs.get(organizationId);
    if (!row) orgs.set(organizationId, { postId, organizationId, ...c, dateMs });
    else {
      row.count += c.count;
      row.embedCount += c.embedCount;
      row.linkCount += c.linkCount;
      row.textCount += c.textCount;
    }
  }
  out.organization.push(...orgs.values());
}

function counted(c: { embed: number; link: number; text: number }) {
  return { count: mentionTotal(c), embedCount: c.embed, linkCount: c.link, textCount: c.text };
}

/** Link rows as read-model changes (what each post links, and when). */
export function linkChanges(links: LinkRows): LinkChange[] {
  const out: LinkChange[] = [];
  for (const kind of ENTITY_KINDS) {
    const target = LINK[kind].target;
    for (const row of links[kind]) {
      out.push({
        kind,
        entityId: (row as unknown as Record<string, number>)[target],
        postId: row.postId,
        dateMs: row.dateMs,
      });
    }
  }
  return out;
}
