import { placeholders } from '../sql-runner';

/** A post filter in database terms (names already normalised by the API layer). */
export interface PostFilterSpec {
  /** Category slugs (lower-cased names); any of them. */
  categories?: string[];
  /** Tag names; any of them. */
  tags?: string[];
  /** Canonical stock symbols; any of them. */
  stockSymbols?: string[];
  /** Board codes (`BK0493`); any of them. */
  boards?: string[];
  /** Organization ids: posts naming or published by any of them. */
  organizationIds?: number[];
  /** Publisher name. */
  publisher?: string;
  /** Inclusive bounds, epoch ms. */
  dateFrom?: number;
  dateTo?: number;
}

/** SQL conditions on `p` (the post table alias) for a filter; fields AND together. */
export function filterSql(
  f: PostFilterSpec | undefined,
  dateCol = 'p.date_ms',
): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (!f) return { where, params };
  const exists = (list: unknown[] | undefined, sql: (ph: string) => string) => {
    if (!list) return;
    if (list.length === 0) {
      where.push('FALSE');
      return;
    }
    where.push(sql(placeholders(list.length)));
    params.push(...list);
  };
  exists(
    f.categories,
    (ph) =>
      `EXISTS (SELECT 1 FROM post_category x JOIN category c ON c.id = x.category_id WHERE x.post_id = p.id AND c.slug IN (${ph}))`,
  );
  exists(
    f.tags,
    (ph) =>
      `EXISTS (SELECT 1 FROM post_tag x JOIN tag t ON t.id = x.tag_id WHERE x.post_id = p.id AND t.name IN (${ph}))`,
  );
  exists(
    f.stockSymbols,
    (ph) =>
      `EXISTS (SELECT 1 FROM post_stock x JOIN stock s ON s.id = x.stock_id WHERE x.post_id = p.id AND s.symbol IN (${ph}))`,
  );
  exists(
    f.boards,
    (ph) =>
      `EXISTS (SELECT 1 FROM post_board x JOIN board b ON b.id = x.board_id WHERE x.post_id = p.id AND b.code IN (${ph}))`,
  );
  if (f.organizationIds) {
    const ids = f.organizationIds;
    if (ids.length === 0) where.push('FALSE');
    else {
      const ph = placeholders(ids.length);
      where.push(
        `(p.publisher_id IN (${ph}) OR EXISTS (SELECT 1 FROM post_organization x WHERE x.post_id = p.id AND x.organization_id IN (${ph})))`,
      );
      params.push(...ids, ...ids);
    }
  }
  if (f.publisher !== undefined) {
    where.push('p.publisher_id IN (SELECT id FROM organization WHERE name = ?)');
    params.push(f.publisher);
  }
  if (f.dateFrom !== undefined) {
    where.push(`${dateCol} >= ?`);
    params.push(f.dateFrom);
  }
  if (f.dateTo !== undefined) {
    where.push(`${dateCol} <= ?`);
    params.push(f.dateTo);
  }
  return { where, params };
}
