import { postgresMigrations } from '../../migrations/postgres';
import { sqliteMigrations } from '../../migrations/sqlite';
import type { SqlRunner } from './sql-runner';

/** The migrations this build knows for a database, by the names TypeORM records them under. */
function knownMigrations(kind: 'sqlite' | 'postgres'): string[] {
  return (kind === 'sqlite' ? sqliteMigrations : postgresMigrations).map((M) => new M().name ?? M.name);
}

/**
 * Migrations of this build that the database has not applied (TypeORM's `migrations` table), in
 * order; all of them when the table is missing. A server started with `migrate: false` (the
 * workers of `serve --workers`, a read-only replica) can be older than its code: this says so.
 */
export async function pendingMigrations(run: SqlRunner, kind: 'sqlite' | 'postgres'): Promise<string[]> {
  const known = knownMigrations(kind);
  let applied: Set<string>;
  try {
    applied = new Set((await run.all<{ name: string }>('SELECT name FROM migrations')).map((r) => r.name));
  } catch {
    return known;
  }
  return known.filter((name) => !applied.has(name));
}
