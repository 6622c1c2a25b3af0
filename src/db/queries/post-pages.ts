import type { Dialect } from '../dialect';
import { SqlRunner } from '../sql-runner';
import { boundsOnlyDates, filterSql, PostFilterSpec } from './post-filter';
import { ALL_POSTS } from '../writes/read-model';
import { dayRange, wholeRows } from './stock-stats';
import { POST_COLUMNS, PostRow } from './rows';

/** Whose posts: one stock's, one board's, ... or all posts. */
export type PostScope = { kind: 'stock' | 'board' | 'category' | 'tag' | 'organization'; id: number } | null;

export interface PostPageSpec {
  scope: PostScope;
  filter?: PostFilterSpec;
  /** DATE_ASC rather than the default newest first. */
  ascending: boolean;
  /** first/after (true) or last/before (false). */
  forward: boolean;
  limit: number;
  cursor?: { dateMs: number; id: number };
  /** Each story once: leave out a post when a post of its story that the listing holds comes before it. */
  collapse?: boolean;
}

export interface PostPage {
  /** The posts themselves: fetching rows with the page saves a statement per nesting level. */
  items: PostRow[];
  /** More items lie beyond the page in the direction of travel. */
  hasMore: boolean;
  /** The first of them (the row that says there is more): whoever follows the page's answer follows it too. */
  beyond?: PostRow;
}

const LINK: Record<string, { table: string; col: string }> = {
  stock: { table: 'post_stock', col: 'stock_id' },
  board: { table: 'post_board', col: 'board_id' },
  category: { table: 'post_category', col: 'category_id' },
  tag: { table: 'post_tag', col: 'tag_id' },
};

/** FROM clause and its params: a scope drives the scan from its link index, already in date order. */
function source(scope: PostScope, needPost: boolean): { from: string; params: unknown[] } {
  if (!scope) return { from: 'post p', params: [] };
  if (scope.kind === 'organization') {
    return {
      from: `(SELECT post_id, date_ms FROM post_organization WHERE organization_id = ? UNION SELECT id, date_ms FROM post WHERE publisher_id = ?) l
             JOIN post p ON p.id = l.post_id`,
      params: [scope.id, scope.id],
    };
  }
  const link = LINK[scope.kind];
  return { from: `${link.table} l${needPost ? ' JOIN post p ON p.id = l.post_id' : ''}`, params: [] };
}

function scopeWhere(scope: PostScope): { where: string[]; params: unknown[] } {
  if (!scope || scope.kind === 'organization') return { where: [], params: [] };
  return { where: [`l.${LINK[scope.kind].col} = ?`], params: [scope.id] };
}

/** A filter on anything but the date (which the link tables carry) needs the post row. */
const needsPost = (f: PostFilterSpec | undefined) => !boundsOnlyDates(f);

/** Post `q` is in the scope (the story mates' side of `collapsed`). */
function inScope(scope: PostScope, dialect: Dialect): { sql: string; params: unknown[] } | null {
  if (!scope) return null;
  if (scope.kind === 'organization') {
    // Named or published by it: the filter's rule for an organization.
    const f = filterSql({ organizationIds: [scope.id] }, dialect, 'q.date_ms', 'exists', 'q');
    return { sql: f.where[0], params: f.params };
  }
  const link = LINK[scope.kind];
  return {
    sql: `EXISTS (SELECT 1 FROM ${link.table} x WHERE x.post_id = q.id AND x.${link.col} = ?)`,
    params: [scope.id],
  };
}

/**
 * `collapseSameStory`: no post of the same story (db/story) that the listing also holds (its scope
 * and filter) comes before this one in the listing's order. The order, not the scan's: a backward
 * page leaves out the same posts as a forward one.
 */
function collapsed(spec: PostPageSpec, idCol: string, dateCol: string, dialect: Dialect) {
  const scope = inScope(spec.scope, dialect);
  const f = filterSql(spec.filter, dialect, 'q.date_ms', 'exists', 'q');
  const where = [
    `s.post_id = ${idCol}`,
    `(q.date_ms, q.id) ${spec.ascending ? '<' : '>'} (${dateCol}, ${idCol})`,
    ...(scope ? [scope.sql] : []),
    ...f.where,
  ];
  return {
    sql: `NOT EXISTS (SELECT 1 FROM post_same_story s JOIN post q ON q.id = s.other_id WHERE ${where.join(' AND ')})`,
    params: [...(scope?.params ?? []), ...f.params],
  };
}

function pageSql(
  k: number,
  spec: PostPageSpec,
  counting: boolean,
  dialect: Dialect,
): { sql: string; params: unknown[] } {
  const idCol = spec.scope ? 'l.post_id' : 'p.id';
  const dateCol = spec.scope ? 'l.date_ms' : 'p.date_ms';
  // Pages select the post columns; counts join the post only when a filter needs it.
  const src = source(spec.scope, !counting || needsPost(spec.filter));
  const sc = scopeWhere(spec.scope);
  const f = filterSql(spec.filter, dialect, dateCol);
  const where = [...sc.where, ...f.where];
  const params: unknown[] = [k, ...src.params, ...sc.params, ...f.params];
  if (spec.collapse) {
    const c = collapsed(spec, idCol, dateCol, dialect);
    where.push(c.sql);
    params.push(...c.params);
  }
  if (counting) {
    const fromReadModel = spec.collapse ? null : readModelCount(k, spec);
    if (fromReadModel) return fromReadModel;
    return {
      sql: `SELECT CAST(? AS INTEGER) AS k, count(*) AS n FROM ${src.from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`,
      params,
    };
  }
  // Backward pages scan the other way and are reversed afterwards.
  const desc = spec.forward ? !spec.ascending : spec.ascending;
  const dir = desc ? 'DESC' : 'ASC';
  if (spec.cursor) {
    where.push(`(${dateCol}, ${idCol}) ${desc ? '<' : '>'} (?, ?)`);
    params.push(spec.cursor.dateMs, spec.cursor.id);
  }
  params.push(spec.limit + 1);
  const sql = `SELECT * FROM (SELECT CAST(? AS INTEGER) AS k, ${POST_COLUMNS} FROM ${src.from}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${dateCol} ${dir}, ${idCol} ${dir} LIMIT ?) AS page`;
  return { sql, params };
}

/**
 * A count of one thing's posts (or of all posts), at most bounded by dates, from the read model:
 * its posts per day for the whole days, its links (the posts) for the days the bounds cut. A
 * popular stock has 20,000 links and a year of it 365 day rows; all-time counts sum month rows.
 * Null where the read model has no answer (other filters, an organization's posts, which count a
 * post named and published once).
 */
function readModelCount(k: number, spec: PostPageSpec): { sql: string; params: unknown[] } | null {
  const { scope, filter } = spec;
  if (scope?.kind === 'organization' || needsPost(filter)) return null;
  const range = dayRange(filter?.dateFrom ?? null, filter?.dateTo ?? null);
  // Months where the range holds whole ones: a popular stock's all-time count sums ~40 rows, not ~1,000.
  const whole = scope
    ? wholeRows(scope.kind, '(?)', [scope.id], range, true)
    : wholeRows('post', '(?)', [ALL_POSTS], range, true);
  const params: unknown[] = [k, ...whole.params];
  const parts = whole.parts.map((sql) => `SELECT n FROM (${sql}) AS w`);
  for (const cut of range.cuts) {
    if (scope) {
      const link = LINK[scope.kind];
      parts.push(`SELECT count(*) AS n FROM ${link.table} WHERE ${link.col} = ? AND date_ms >= ? AND date_ms <= ?`);
      params.push(scope.id, cut.from, cut.to);
    } else {
      parts.push('SELECT count(*) AS n FROM post WHERE date_ms >= ? AND date_ms <= ?');
      params.push(cut.from, cut.to);
    }
  }
  if (parts.length === 0) parts.push('SELECT 0 AS n');
  return {
    sql: `SELECT CAST(? AS INTEGER) AS k, CAST(coalesce(sum(n), 0) AS INTEGER) AS n FROM (${parts.join(' UNION ALL ')}) AS c`,
    params,
  };
}

/** SQLite's default cap on the terms of one compound SELECT. */
const MAX_TERMS = 400;

async function unionAll<T extends { k: number }>(
  run: SqlRunner,
  parts: { sql: string; params: unknown[] }[],
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < parts.length; i += MAX_TERMS) {
    const chunk = parts.slice(i, i + MAX_TERMS);
    out.push(
      ...(await run.all<T>(
        chunk.map((p) => p.sql).join('\nUNION ALL\n'),
        chunk.flatMap((p) => p.params),
      )),
    );
  }
  return out;
}

/** Pages of post ids for many connections in one statement (per 400), in request order. */
export async function postPages(run: SqlRunner, specs: PostPageSpec[]): Promise<PostPage[]> {
  const rows = await unionAll<PostRow & { k: number }>(
    run,
    specs.map((s, k) => pageSql(k, s, false, run.dialect)),
  );
  const pages: PostPage[] = specs.map(() => ({ items: [], hasMore: false }));
  for (const { k, ...row } of rows) pages[k].items.push(row);
  pages.forEach((page, k) => {
    const spec = specs[k];
    page.hasMore = page.items.length > spec.limit;
    if (page.hasMore) page.beyond = page.items[spec.limit];
    page.items = page.items.slice(0, spec.limit);
    if (!spec.forward) page.items.reverse();
  });
  return pages;
}

/** totalCount for many connections in one statement (per 400). */
export async function postCounts(run: SqlRunner, specs: PostPageSpec[]): Promise<number[]> {
  const rows = await unionAll<{ k: number; n: number }>(
    run,
    specs.map((s, k) => pageSql(k, s, true, run.dialect)),
  );
  const counts = specs.map(() => 0);
  for (const r of rows) counts[r.k] = r.n;
  return counts;
}
