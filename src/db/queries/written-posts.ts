import { placeholders, SqlRunner } from '../sql-runner';
import { WRITE_STAMP } from '../writes/write-stamp';

/** Where posts written by an import stand now, and the stocks and boards they link (whose names they may have filled). */
export interface WrittenPosts {
  keys: { id: number; dateMs: number }[];
  stockIds: number[];
  boardIds: number[];
}

/** Ids per statement: well under either database's limit on parameters. */
const CHUNK = 500;

/**
 * The place in the (date, id) order and the linked stocks and boards of posts the change feed says
 * were written, as they are now (a post removed since is simply absent): one statement per 500
 * posts, the same SQL on both databases.
 */
export async function writtenPosts(run: SqlRunner, ids: readonly number[]): Promise<WrittenPosts> {
  const out: WrittenPosts = { keys: [], stockIds: [], boardIds: [] };
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const list = `(${placeholders(chunk.length)})`;
    const rows = await run.all<{ kind: string; id: number | string; d: number | string }>(
      `SELECT 'post' AS kind, id, date_ms AS d FROM post WHERE id IN ${list}
       UNION ALL SELECT DISTINCT 'stock', stock_id, 0 FROM post_stock WHERE post_id IN ${list}
       UNION ALL SELECT DISTINCT 'board', board_id, 0 FROM post_board WHERE post_id IN ${list}`,
      [...chunk, ...chunk, ...chunk],
    );
    for (const r of rows) {
      const id = Number(r.id);
      if (r.kind === 'post') out.keys.push({ id, dateMs: Number(r.d) });
      else if (r.kind === 'stock') out.stockIds.push(id);
      else out.boardIds.push(id);
    }
  }
  return out;
}

/** The import's write stamp (db/writes/write-stamp.ts): 0 before the first import that wrote. */
export async function writeStamp(run: SqlRunner): Promise<number> {
  const row = await run.get<{ v: number | string | null }>('SELECT value AS v FROM read_model_state WHERE name = ?', [
    WRITE_STAMP,
  ]);
  return Number(row?.v ?? 0);
}
