import { type StoredText, unpackContent } from '../../ingest/render/packed';
import { decodePostLinks, type PostLinks } from '../schema/post-links';
import { inList, SqlRunner } from '../sql-runner';
import {
  BOARD_COLUMNS,
  BoardRow,
  CATEGORY_COLUMNS,
  CategoryRow,
  MentionRow,
  ORGANIZATION_COLUMNS,
  OrganizationRow,
  POST_CARD_COLUMNS,
  POST_COLUMNS,
  POST_DETAIL_COLUMNS,
  PostCardRow,
  PostContentRow,
  PostDetailRow,
  PostRow,
  STOCK_COLUMNS,
  StockRow,
  TAG_COLUMNS,
  TagRow,
} from './rows';

// Batch lookups: one statement for any number of keys. Callers (DataLoaders) put results in key order.

/** `sql(list)` with `list` an IN list of `keys` (its length bucketed: see inList). */
function whereIn<T>(run: SqlRunner, keys: readonly unknown[], sql: (list: string) => string): Promise<T[]> {
  const list = inList(keys);
  return run.all<T>(sql(list.sql), list.params);
}

export const postsByIds = (run: SqlRunner, ids: readonly number[]) =>
  whereIn<PostRow>(run, ids, (list) => `SELECT ${POST_COLUMNS} FROM post p WHERE p.id IN ${list}`);

export const postCardsByIds = (run: SqlRunner, ids: readonly number[]) =>
  whereIn<PostCardRow>(run, ids, (list) => `SELECT ${POST_CARD_COLUMNS} FROM post p WHERE p.id IN ${list}`);

export const postDetailsByIds = (run: SqlRunner, ids: readonly number[]) =>
  whereIn<PostDetailRow>(run, ids, (list) => `SELECT ${POST_DETAIL_COLUMNS} FROM post p WHERE p.id IN ${list}`);

/** HTML and text unpacked (SQLite stores them packed: ingest/render/packed.ts). */
export const postContentByIds = async (run: SqlRunner, ids: readonly number[]): Promise<PostContentRow[]> =>
  (
    await whereIn<{ id: number; html: StoredText; text: StoredText }>(
      run,
      ids,
      (list) => `SELECT id, html, text FROM post WHERE id IN ${list}`,
    )
  ).map((r) => ({ id: r.id, ...unpackContent(r.html, r.text, `post ${r.id}`) }));

/** Newest first: a slug is unique only within a date and category path. */
export const postsBySlugs = (run: SqlRunner, slugs: readonly string[]) =>
  whereIn<PostRow>(
    run,
    slugs,
    (list) => `SELECT ${POST_COLUMNS} FROM post p WHERE p.slug IN ${list} ORDER BY p.date_ms DESC, p.id DESC`,
  );

export const postsByUrls = (run: SqlRunner, urls: readonly string[]) =>
  whereIn<PostRow>(run, urls, (list) => `SELECT ${POST_COLUMNS} FROM post p WHERE p.url IN ${list}`);

export const categoriesByIds = (run: SqlRunner, ids: readonly number[]) =>
  whereIn<CategoryRow>(run, ids, (list) => `SELECT ${CATEGORY_COLUMNS} FROM category c WHERE c.id IN ${list}`);

export const categoriesBySlugs = (run: SqlRunner, slugs: readonly string[]) =>
  whereIn<CategoryRow>(run, slugs, (list) => `SELECT ${CATEGORY_COLUMNS} FROM category c WHERE c.slug IN ${list}`);

export const tagsByIds = (run: SqlRunner, ids: readonly number[]) =>
  whereIn<TagRow>(run, ids, (list) => `SELECT ${TAG_COLUMNS} FROM tag t WHERE t.id IN ${list}`);

export const tagsByNames = (run: SqlRunner, names: readonly string[]) =>
  whereIn<TagRow>(run, names, (list) => `SELECT ${TAG_COLUMNS} FROM tag t WHERE t.name IN ${list}`);

export const stocksByIds = (run: SqlRunner, ids: readonly number[]) =>
  whereIn<StockRow>(run, ids, (list) => `SELECT ${STOCK_COLUMNS} FROM stock s WHERE s.id IN ${list}`);

export const stocksBySymbols = (run: SqlRunner, symbols: readonly string[]) =>
  whereIn<StockRow>(run, symbols, (list) => `SELECT ${STOCK_COLUMNS} FROM stock s WHERE s.symbol IN ${list}`);

export const stocksByOrganizations = (run: SqlRunner, orgIds: readonly number[]) =>
  whereIn<StockRow>(
    run,
    orgIds,
    (list) => `SELECT ${STOCK_COLUMNS} FROM stock s WHERE s.organization_id IN ${list} ORDER BY s.symbol`,
  );

export const boardsByIds = (run: SqlRunner, ids: readonly number[]) =>
  whereIn<BoardRow>(run, ids, (list) => `SELECT ${BOARD_COLUMNS} FROM board b WHERE b.id IN ${list}`);

export const boardsByCodes = (run: SqlRunner, codes: readonly string[]) =>
  whereIn<BoardRow>(run, codes, (list) => `SELECT ${BOARD_COLUMNS} FROM board b WHERE b.code IN ${list}`);

export const organizationsByIds = (run: SqlRunner, ids: readonly number[]) =>
  whereIn<OrganizationRow>(
    run,
    ids,
    (list) => `SELECT ${ORGANIZATION_COLUMNS} FROM organization o WHERE o.id IN ${list}`,
  );

export const organizationsByNames = (run: SqlRunner, names: readonly string[]) =>
  whereIn<OrganizationRow>(
    run,
    names,
    (list) => `SELECT ${ORGANIZATION_COLUMNS} FROM organization o WHERE o.name IN ${list}`,
  );

/** Everything posts link, one row a post (post_links: the read model's copy of the link tables). */
export const linksOfPosts = async (
  run: SqlRunner,
  postIds: readonly number[],
): Promise<{ postId: number; links: PostLinks }[]> =>
  (
    await whereIn<{ postId: number; links: string }>(
      run,
      postIds,
      (list) => `SELECT post_id AS "postId", links FROM post_links WHERE post_id IN ${list}`,
    )
  ).map((r) => ({ postId: r.postId, links: decodePostLinks(r.links, `post ${r.postId}`) }));

/** Categories of posts, in front-matter order. */
export const categoriesOfPosts = (run: SqlRunner, postIds: readonly number[]) =>
  whereIn<CategoryRow & { postId: number }>(
    run,
    postIds,
    (
      list,
    ) => `SELECT x.post_id AS "postId", ${CATEGORY_COLUMNS} FROM post_category x JOIN category c ON c.id = x.category_id
     WHERE x.post_id IN ${list} ORDER BY x.post_id, x.position`,
  );

export const tagsOfPosts = (run: SqlRunner, postIds: readonly number[]) =>
  whereIn<TagRow & { postId: number }>(
    run,
    postIds,
    (list) => `SELECT x.post_id AS "postId", ${TAG_COLUMNS} FROM post_tag x JOIN tag t ON t.id = x.tag_id
     WHERE x.post_id IN ${list} ORDER BY x.post_id, x.position`,
  );

const MENTIONS = {
  stock: { table: 'post_stock', col: 'stock_id', join: 'stock s', columns: STOCK_COLUMNS, alias: 's' },
  board: { table: 'post_board', col: 'board_id', join: 'board b', columns: BOARD_COLUMNS, alias: 'b' },
  organization: {
    table: 'post_organization',
    col: 'organization_id',
    join: 'organization o',
    columns: ORGANIZATION_COLUMNS,
    alias: 'o',
  },
} as const;

type Mentioned<K extends keyof typeof MENTIONS> = (K extends 'stock'
  ? StockRow
  : K extends 'board'
    ? BoardRow
    : OrganizationRow) &
  MentionRow;

/** What posts link to (stocks, boards or organizations) with how it was found, most-mentioned first. */
export function mentionsOfPosts<K extends keyof typeof MENTIONS>(
  run: SqlRunner,
  kind: K,
  postIds: readonly number[],
): Promise<Mentioned<K>[]> {
  const m = MENTIONS[kind];
  return whereIn<Mentioned<K>>(
    run,
    postIds,
    (
      list,
    ) => `SELECT x.post_id AS "postId", x.${m.col} AS "targetId", x.count, x.embed_count AS "embedCount", x.link_count AS "linkCount",
       x.text_count AS "textCount", ${m.columns}
     FROM ${m.table} x JOIN ${m.join} ON ${m.alias}.id = x.${m.col}
     WHERE x.post_id IN ${list} ORDER BY x.post_id, x.count DESC, x.${m.col}`,
  );
}
