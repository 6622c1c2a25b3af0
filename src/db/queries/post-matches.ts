import { inList, type SqlRunner } from '../sql-runner';
import { filterSql, type PostFilterSpec } from './post-filter';

/**
 * Which of `ids` exist and pass `filter`, as `posts(filter:)` would list them (the same SQL
 * conditions): how a subscription decides who hears about a changed post. One statement.
 */
export async function postsMatching(
  run: SqlRunner,
  ids: readonly number[],
  filter: PostFilterSpec | undefined,
): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const f = filterSql(filter, run.dialect);
  const list = inList(ids);
  const rows = await run.all<{ id: number }>(
    `SELECT p.id FROM post p WHERE p.id IN ${list.sql}${f.where.map((w) => ` AND ${w}`).join('')}`,
    [...list.params, ...f.params],
  );
  return new Set(rows.map((r) => Number(r.id)));
}
