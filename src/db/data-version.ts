import type { Database } from 'better-sqlite3';

/**
 * A value that changes whenever the database's content may have changed as seen from this
 * connection: SQLite's `data_version` moves when another connection (an import in another process)
 * commits, `total_changes()` when this one writes. Cheap enough to read on every request.
 */
export function dataVersionReader(db: Database): () => string {
  const stmt = db.prepare('SELECT (SELECT data_version FROM pragma_data_version()) AS v, total_changes() AS c');
  return () => {
    const r = stmt.get() as { v: number; c: number };
    return `${r.v}.${r.c}`;
  };
}
