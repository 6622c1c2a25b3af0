import type { Database } from 'better-sqlite3';
import type { DataSource } from 'typeorm';

/** The better-sqlite3 handle behind a TypeORM data source, for set-based SQL on hot paths. */
export function nativeSqlite(ds: DataSource): Database {
  if (ds.options.type !== 'better-sqlite3') throw new Error(`expected a SQLite data source, got ${ds.options.type}`);
  return (ds.driver as unknown as { databaseConnection: Database }).databaseConnection;
}
