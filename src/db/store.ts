import type { Database } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import type { ArchiveWriter } from './archive-writer';
import { dataVersionReader } from './data-version';
import { nativeSqlite } from './native';
import { PgWriter } from './pg-writer';
import { postgresPools } from './postgres';
import { postgresRunnerFactory, SqlRunner, sqliteRunnerFactory } from './sql-runner';
import { SqliteWriter } from './sqlite-writer';

/** What the importer and the server need from a database, SQLite or PostgreSQL alike. */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** A statement-counting runner for one request's reads. */
  runner(): SqlRunner;
  /** Changes whenever committed content may have changed (the response cache keys on it). */
  dataVersion(): string | Promise<string>;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  /** The import writer (on PostgreSQL: the primary). */
  writer(): ArchiveWriter;
}

export function sqliteStore(db: Database): Store {
  const runner = sqliteRunnerFactory(db);
  const version = dataVersionReader(db);
  const ping = db.prepare('SELECT 1');
  return {
    kind: 'sqlite',
    runner,
    dataVersion: version,
    ping: async () => void ping.get(),
    writer: () => new SqliteWriter(db),
  };
}

/** Reads go to the replicas when there are any (DATABASE_REPLICA_URLS), writes to the primary. */
export function postgresStore(ds: DataSource): Store {
  const { primary, replicas } = postgresPools(ds);
  const reads = replicas.length ? replicas : [primary];
  const runner = postgresRunnerFactory(reads);
  return {
    kind: 'postgres',
    runner,
    dataVersion: async () => {
      const r = await runner().get<{ version: number }>('SELECT version FROM data_version WHERE id = 1');
      return String(r?.version ?? 0);
    },
    ping: async () => {
      await Promise.all([primary, ...replicas].map((p) => p.query('SELECT 1')));
    },
    writer: () => new PgWriter(primary),
  };
}

/** The store of an open TypeORM data source. */
export function storeOf(ds: DataSource): Store {
  return ds.options.type === 'postgres' ? postgresStore(ds) : sqliteStore(nativeSqlite(ds));
}

/** Callers (tests, scripts) may still hand over a bare better-sqlite3 handle. */
export function asStore(db: Database | Store): Store {
  return 'runner' in db && typeof db.runner === 'function' ? db : sqliteStore(db as Database);
}
