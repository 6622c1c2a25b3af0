import { SqlRunner } from '../sql-runner';
import { CATEGORY_COLUMNS, CategoryRow, TAG_COLUMNS, TagRow } from './rows';

/** Categories and tags page by (post count desc, id): the busiest first. */
export async function categoryPage(
  run: SqlRunner,
  limit: number,
  after?: { count: number; id: number },
): Promise<{ rows: CategoryRow[]; hasMore: boolean }> {
  const cond = after ? 'WHERE (c.post_count < ? OR (c.post_count = ? AND c.id > ?))' : '';
  const rows = await run.all<CategoryRow>(
    `SELECT ${CATEGORY_COLUMNS} FROM category c ${cond} ORDER BY c.post_count DESC, c.id LIMIT ?`,
    after ? [after.count, after.count, after.id, limit + 1] : [limit + 1],
  );
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

export async function tagPage(
  run: SqlRunner,
  limit: number,
  after?: { count: number; id: number },
): Promise<{ rows: TagRow[]; hasMore: boolean }> {
  const cond = after ? 'WHERE (t.post_count < ? OR (t.post_count = ? AND t.id > ?))' : '';
  const rows = await run.all<TagRow>(
    `SELECT ${TAG_COLUMNS} FROM tag t ${cond} ORDER BY t.post_count DESC, t.id LIMIT ?`,
    after ? [after.count, after.count, after.id, limit + 1] : [limit + 1],
  );
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

export const countCategories = async (run: SqlRunner) =>
  (await run.get<{ n: number }>('SELECT count(*) AS n FROM category'))!.n;
export const countTags = async (run: SqlRunner) => (await run.get<{ n: number }>('SELECT count(*) AS n FROM tag'))!.n;
