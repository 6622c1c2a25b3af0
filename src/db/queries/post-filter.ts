import type { Dialect } from '../dialect';
import { placeholders } from '../sql-runner';

/** A post filter in database terms (names already normalised by the API layer). */
export interface PostFilterSpec {
  /** Category slugs (lower-cased names); any of them. */
  categories?: string[];
  /** Category slugs; all of them. */
  categoriesAll?: string[];
  /** Tag names; any of them. */
  tags?: string[];
  /** Tag names; all of them. */
  tagsAll?: string[];
  /** Canonical stock symbols; any of them. */
  stockSymbols?: string[];
  /** Per stock asked for, the canonical symbols it can mean (a bare code: several); every one linked. */
  stocksAll?: string[][];
  /** Board codes (`BK0493`); any of them. */
  boards?: string[];
  /** Organization ids: posts naming or published by any of them. */
  organizationIds?: number[];
  /** Publisher name. */
  publisher?: string;
  /** Inclusive bounds, epoch ms. */
  dateFrom?: number;
  dateTo?: number;
  /** Text the title contains, A-Z already lower-cased (the title's are folded to match). */
  titleContains?: string;
  /** Nested filters: all of them, any of them, not this one. */
  and?: PostFilterSpec[];
  or?: PostFilterSpec[];
  not?: PostFilterSpec;
}

interface Link {
  table: string;
  col: string;
  entity: string;
  key: string;
}

const CATEGORY: Link = { table: 'post_category', col: 'category_id', entity: 'category', key: 'slug' };
const TAG: Link = { table: 'post_tag', col: 'tag_id', entity: 'tag', key: 'name' };
const STOCK: Link = { table: 'post_stock', col: 'stock_id', entity: 'stock', key: 'symbol' };
const BOARD: Link = { table: 'post_board', col: 'board_id', entity: 'board', key: 'code' };

/** Post `p` links an entity whose key is one of `n` parameters. */
const linked = (l: Link, n: number) =>
  `EXISTS (SELECT 1 FROM ${l.table} x JOIN ${l.entity} e ON e.id = x.${l.col} WHERE x.post_id = p.id AND e.${l.key} IN (${placeholders(n)}))`;

/** Conditions and their parameters, in order. */
class Conditions {
  readonly where: string[] = [];
  readonly params: unknown[] = [];

  add(sql: string, params: readonly unknown[] = []): void {
    this.where.push(sql);
    this.params.push(...params);
  }

  /** One condition for a list of values; an empty list matches nothing. */
  anyOf(values: readonly unknown[] | undefined, sql: (n: number) => string): void {
    if (!values) return;
    if (values.length === 0) this.add('FALSE');
    else this.add(sql(values.length), values);
  }

  /** The conditions as one expression (TRUE when there are none). */
  joined(): string {
    return this.where.length === 0 ? 'TRUE' : this.where.length === 1 ? this.where[0] : `(${this.where.join(' AND ')})`;
  }
}

function collect(c: Conditions, f: PostFilterSpec, dialect: Dialect, dateCol: string): void {
  c.anyOf(f.categories, (n) => linked(CATEGORY, n));
  for (const slug of f.categoriesAll ?? []) c.add(linked(CATEGORY, 1), [slug]);
  c.anyOf(f.tags, (n) => linked(TAG, n));
  for (const tag of f.tagsAll ?? []) c.add(linked(TAG, 1), [tag]);
  c.anyOf(f.stockSymbols, (n) => linked(STOCK, n));
  for (const symbols of f.stocksAll ?? []) c.anyOf(symbols, (n) => linked(STOCK, n));
  c.anyOf(f.boards, (n) => linked(BOARD, n));
  if (f.organizationIds) {
    const ids = f.organizationIds;
    if (ids.length === 0) c.add('FALSE');
    else {
      const ph = placeholders(ids.length);
      c.add(
        `(p.publisher_id IN (${ph}) OR EXISTS (SELECT 1 FROM post_organization x WHERE x.post_id = p.id AND x.organization_id IN (${ph})))`,
        [...ids, ...ids],
      );
    }
  }
  if (f.publisher !== undefined) c.add('p.publisher_id IN (SELECT id FROM organization WHERE name = ?)', [f.publisher]);
  if (f.dateFrom !== undefined) c.add(`${dateCol} >= ?`, [f.dateFrom]);
  if (f.dateTo !== undefined) c.add(`${dateCol} <= ?`, [f.dateTo]);
  if (f.titleContains !== undefined) c.add(dialect.contains(dialect.asciiLower('p.title'), '?'), [f.titleContains]);
  for (const sub of f.and ?? []) collect(c, sub, dialect, dateCol);
  if (f.or) {
    const parts = f.or.map((sub) => {
      const inner = new Conditions();
      collect(inner, sub, dialect, dateCol);
      return inner;
    });
    c.add(
      parts.length === 0 ? 'FALSE' : `(${parts.map((p) => p.joined()).join(' OR ')})`,
      parts.flatMap((p) => p.params),
    );
  }
  if (f.not) {
    const inner = new Conditions();
    collect(inner, f.not, dialect, dateCol);
    // A condition on a post without a publisher is NULL, and NOT NULL would drop the post too.
    c.add(`NOT coalesce(${inner.joined()}, FALSE)`, inner.params);
  }
}

/** SQL conditions on `p` (the post table alias) for a filter; fields AND together. */
export function filterSql(
  f: PostFilterSpec | undefined,
  dialect: Dialect,
  dateCol = 'p.date_ms',
): { where: string[]; params: unknown[] } {
  const c = new Conditions();
  if (f) collect(c, f, dialect, dateCol);
  return { where: c.where, params: c.params };
}
