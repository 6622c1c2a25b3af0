import { placeholders, SqlRunner } from '../sql-runner';
import {
  BOARD_COLUMNS,
  BoardRow,
  CATEGORY_COLUMNS,
  CategoryRow,
  MentionRow,
  ORGANIZATION_COLUMNS,
  OrganizationRow,
  POST_COLUMNS,
  PostContentRow,
  PostRow,
  STOCK_COLUMNS,
  StockRow,
  TAG_COLUMNS,
  TagRow,
} from './rows';

// Batch lookups: one statement for any number of keys. Callers (DataLoaders) put results in key order.

const inList = (ids: readonly unknown[]) => `(${placeholders(ids.length)})`;

export const postsByIds = (run: SqlRunner, ids: readonly number[]) =>
  run.all<PostRow>(`SELECT ${POST_COLUMNS} FROM post p WHERE p.id IN ${inList(ids)}`, [...ids]);

export const postContentByIds = (run: SqlRunner, ids: readonly number[]) =>
  run.all<PostContentRow>(`SELECT id, html, text FROM post WHERE id IN ${inList(ids)}`, [...ids]);

/** Newest first: a slug is unique only within a date and category path. */
export const postsBySlugs = (run: SqlRunner, slugs: readonly string[]) =>
  run.all<PostRow>(
    `SELECT ${POST_COLUMNS} FROM post p WHERE p.slug IN ${inList(slugs)} ORDER BY p.date_ms DESC, p.id DESC`,
    [...slugs],
  );

export const postsByUrls = (run: SqlRunner, urls: readonly string[]) =>
  run.all<PostRow>(`SELECT ${POST_COLUMNS} FROM post p WHERE p.url IN ${inList(urls)}`, [...urls]);

export const categoriesByIds = (run: SqlRunner, ids: readonly number[]) =>
  run.all<CategoryRow>(`SELECT ${CATEGORY_COLUMNS} FROM category c WHERE c.id IN ${inList(ids)}`, [...ids]);

export const categoriesBySlugs = (run: SqlRunner, slugs: readonly string[]) =>
  run.all<CategoryRow>(`SELECT ${CATEGORY_COLUMNS} FROM category c WHERE c.slug IN ${inList(slugs)}`, [...slugs]);

export const tagsByIds = (run: SqlRunner, ids: readonly number[]) =>
  run.all<TagRow>(`SELECT ${TAG_COLUMNS} FROM tag t WHERE t.id IN ${inList(ids)}`, [...ids]);

export const tagsByNames = (run: SqlRunner, names: readonly string[]) =>
  run.all<TagRow>(`SELECT ${TAG_COLUMNS} FROM tag t WHERE t.name IN ${inList(names)}`, [...names]);

export const stocksByIds = (run: SqlRunner, ids: readonly number[]) =>
  run.all<StockRow>(`SELECT ${STOCK_COLUMNS} FROM stock s WHERE s.id IN ${inList(ids)}`, [...ids]);

export const stocksBySymbols = (run: SqlRunner, symbols: readonly string[]) =>
  run.all<StockRow>(`SELECT ${STOCK_COLUMNS} FROM stock s WHERE s.symbol IN ${inList(symbols)}`, [...symbols]);

export const stocksByOrganizations = (run: SqlRunner, orgIds: readonly number[]) =>
  run.all<StockRow>(
    `SELECT ${STOCK_COLUMNS} FROM stock s WHERE s.organization_id IN ${inList(orgIds)} ORDER BY s.symbol`,
    [...orgIds],
  );

export const boardsByIds = (run: SqlRunner, ids: readonly number[]) =>
  run.all<BoardRow>(`SELECT ${BOARD_COLUMNS} FROM board b WHERE b.id IN ${inList(ids)}`, [...ids]);

export const boardsByCodes = (run: SqlRunner, codes: readonly string[]) =>
  run.all<BoardRow>(`SELECT ${BOARD_COLUMNS} FROM board b WHERE b.code IN ${inList(codes)}`, [...codes]);

export const organizationsByIds = (run: SqlRunner, ids: readonly number[]) =>
  run.all<OrganizationRow>(`SELECT ${ORGANIZATION_COLUMNS} FROM organization o WHERE o.id IN ${inList(ids)}`, [...ids]);

export const organizationsByNames = (run: SqlRunner, names: readonly string[]) =>
  run.all<OrganizationRow>(`SELECT ${ORGANIZATION_COLUMNS} FROM organization o WHERE o.name IN ${inList(names)}`, [
    ...names,
  ]);

/** Categories of posts, in front-matter order. */
export const categoriesOfPosts = (run: SqlRunner, postIds: readonly number[]) =>
  run.all<CategoryRow & { postId: number }>(
    `SELECT x.post_id AS "postId", ${CATEGORY_COLUMNS} FROM post_category x JOIN category c ON c.id = x.category_id
     WHERE x.post_id IN ${inList(postIds)} ORDER BY x.post_id, x.position`,
    [...postIds],
  );

export const tagsOfPosts = (run: SqlRunner, postIds: readonly number[]) =>
  run.all<TagRow & { postId: number }>(
    `SELECT x.post_id AS "postId", ${TAG_COLUMNS} FROM post_tag x JOIN tag t ON t.id = x.tag_id
     WHERE x.post_id IN ${inList(postIds)} ORDER BY x.post_id, x.position`,
    [...postIds],
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
  return run.all<Mentioned<K>>(
    `SELECT x.post_id AS "postId", x.${m.col} AS "targetId", x.count, x.embed_count AS "embedCount", x.link_count AS "linkCount",
       x.text_count AS "textCount", ${m.columns}
     FROM ${m.table} x JOIN ${m.join} ON ${m.alias}.id = x.${m.col}
     WHERE x.post_id IN ${inList(postIds)} ORDER BY x.post_id, x.count DESC, x.${m.col}`,
    [...postIds],
  );
}
