import { titleNeedleTokens } from '../../ingest/search';
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

/**
 * How a link condition is written. `exists`, per post: a page in date order tests posts until it
 * is full. `in`, the linked posts' ids listed once: SQLite then reads those posts by id instead of
 * testing every post (a whole set: facets).
 */
export type LinkTest = 'exists' | 'in';

/** Post `a` (the alias) links an entity whose key is one of `n` parameters. */
function linked(l: Link, n: number, test: LinkTest, a: string): string {
  const entities = `${l.table} x JOIN ${l.entity} e ON e.id = x.${l.col}`;
  const keys = `e.${l.key} IN (${placeholders(n)})`;
  return test === 'in'
    ? `${a}.id IN (SELECT x.post_id FROM ${entities} WHERE ${keys})`
    : `EXISTS (SELECT 1 FROM ${entities} WHERE x.post_id = ${a}.id AND ${keys})`;
}

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

interface Style {
  dialect: Dialect;
  dateCol: string;
  test: LinkTest;
  /** The post table's alias. */
  alias: string;
}

function collect(c: Conditions, f: PostFilterSpec, style: Style): void {
  const a = style.alias;
  const link = (l: Link) => (n: number) => linked(l, n, style.test, a);
  c.anyOf(f.categories, link(CATEGORY));
  for (const slug of f.categoriesAll ?? []) c.anyOf([slug], link(CATEGORY));
  c.anyOf(f.tags, link(TAG));
  for (const tag of f.tagsAll ?? []) c.anyOf([tag], link(TAG));
  c.anyOf(f.stockSymbols, link(STOCK));
  for (const symbols of f.stocksAll ?? []) c.anyOf(symbols, link(STOCK));
  c.anyOf(f.boards, link(BOARD));
  if (f.organizationIds) {
    const ids = f.organizationIds;
    if (ids.length === 0) c.add('FALSE');
    else {
      const ph = placeholders(ids.length);
      c.add(
        `(${a}.publisher_id IN (${ph}) OR EXISTS (SELECT 1 FROM post_organization x WHERE x.post_id = ${a}.id AND x.organization_id IN (${ph})))`,
        [...ids, ...ids],
      );
    }
  }
  if (f.publisher !== undefined)
    c.add(`${a}.publisher_id IN (SELECT id FROM organization WHERE name = ?)`, [f.publisher]);
  if (f.dateFrom !== undefined) c.add(`${style.dateCol} >= ?`, [f.dateFrom]);
  if (f.dateTo !== undefined) c.add(`${style.dateCol} <= ?`, [f.dateTo]);
  if (f.titleContains !== undefined) {
    // Han text: first the titles the text index says hold it (a superset), not every title.
    const tokens = titleNeedleTokens(f.titleContains);
    if (tokens) c.add(style.dialect.titleHas(a), [style.dialect.titlePhrase(tokens)]);
    c.add(style.dialect.contains(style.dialect.asciiLower(`${a}.title`), '?'), [f.titleContains]);
  }
  for (const sub of f.and ?? []) collect(c, sub, style);
  if (f.or) {
    const parts = f.or.map((sub) => {
      const inner = new Conditions();
      collect(inner, sub, style);
      return inner;
    });
    c.add(
      parts.length === 0 ? 'FALSE' : `(${parts.map((p) => p.joined()).join(' OR ')})`,
      parts.flatMap((p) => p.params),
    );
  }
  if (f.not) {
    const inner = new Conditions();
    collect(inner, f.not, style);
    // A condition on a post without a publisher is NULL, and NOT NULL would drop the post too.
    c.add(`NOT coalesce(${inner.joined()}, FALSE)`, inner.params);
  }
}

/**
 * Whether a filter bounds nothing but dates (or nothing at all): the link tables and the read model
 * carry a post's date, so such a filter needs no post row, and its counts can come from the read model.
 */
export function boundsOnlyDates(f: PostFilterSpec | undefined): boolean {
  return !f || Object.entries(f).every(([k, v]) => v === undefined || k === 'dateFrom' || k === 'dateTo');
}

/** The filter fields that list one kind of link, any of its values. */
const LINK_LISTS: [keyof PostFilterSpec, Link][] = [
  ['categories', CATEGORY],
  ['tags', TAG],
  ['stockSymbols', STOCK],
  ['boards', BOARD],
];

/**
 * The ids of the posts a filter of one link list selects (`categories`, `tags`, `stockSymbols` or
 * `boards`, optionally with `dateFrom`/`dateTo`, nothing else), read from that link table without
 * the posts: its index leads with the entity and the date (each link row keeps its post's date),
 * so a stock's year reads that year's rows. Null for any other filter.
 */
export function linkListIdsSql(f: PostFilterSpec | undefined): { sql: string; params: unknown[] } | null {
  if (!f) return null;
  const given = (Object.keys(f) as (keyof PostFilterSpec)[]).filter((k) => f[k] !== undefined);
  const lists = given.filter((k) => k !== 'dateFrom' && k !== 'dateTo');
  if (lists.length !== 1) return null;
  const link = LINK_LISTS.find(([k]) => k === lists[0])?.[1];
  const values = f[lists[0]];
  if (!link || !Array.isArray(values) || values.length === 0) return null;
  const where = [`e.${link.key} IN (${placeholders(values.length)})`];
  const params: unknown[] = [...values];
  for (const [bound, op] of [
    [f.dateFrom, '>='],
    [f.dateTo, '<='],
  ] as const) {
    if (bound === undefined) continue;
    where.push(`x.date_ms ${op} ?`);
    params.push(bound);
  }
  // A post in two of the listed entities has two link rows.
  const distinct = values.length > 1 ? 'DISTINCT ' : '';
  return {
    sql: `SELECT ${distinct}x.post_id FROM ${link.table} x JOIN ${link.entity} e ON e.id = x.${link.col} WHERE ${where.join(' AND ')}`,
    params,
  };
}

/** SQL conditions on `alias` (the post table's, `p` by default) for a filter; fields AND together. */
export function filterSql(
  f: PostFilterSpec | undefined,
  dialect: Dialect,
  dateCol = 'p.date_ms',
  test: LinkTest = 'exists',
  alias = 'p',
): { where: string[]; params: unknown[] } {
  const c = new Conditions();
  if (f) collect(c, f, { dialect, dateCol, test, alias });
  return { where: c.where, params: c.params };
}
