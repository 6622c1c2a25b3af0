import { placeholders, type SqlRunner } from '../sql-runner';
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
  const f = filterSql(filter);
  const rows = await run.all<{ id: number }>(
    `SELECT p.id FROM post p WHERE p.id IN (${placeholders(ids.length)})${f.where.map((w) => ` AND ${w}`).join('')}`,
    [...ids, ...f.params],
  );
  return new Set(rows.map((r) => Number(r.id)));
}
