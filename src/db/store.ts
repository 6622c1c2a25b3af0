import type { Database } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { dataVersionReader } from './data-version';
import { listenForFeedChanges } from './feed-listener';
import { pendingMigrations } from './migration-state';
import { nativeSqlite } from './native';
import { postgresPools } from './postgres';
import { postgresRunnerFactory, SqlRunner, sqliteRunnerFactory } from './sql-runner';
import type { ArchiveWriter } from './writes/archive-writer';
import { PgWriter } from './writes/pg-writer';
import { SqliteWriter } from './writes/sqlite-writer';

/** What the server needs from a database, SQLite or PostgreSQL alike: reads only. */
export interface ReadStore {
  readonly kind: 'sqlite' | 'postgres';
  /** A statement-counting runner for one request's reads. */
  runner: () => SqlRunner;
  /** Changes whenever committed content may have changed (the response cache looks at it on every request). */
  dataVersion: () => string | Promise<string>;
  /**
   * Whether `dataVersion` also moves with no commit: SQLite's does when a writer starts a new
   * write-ahead log (at the start of a write transaction). Then only what explains a move counts
   * (an import's write stamp, the feed, `ownWrites`).
   */
  versionMovesWithoutCommits: boolean;
  /** Rows written through the server's own connection so far (SQLite), where other writes do not move `dataVersion`. */
  ownWrites?: () => number;
  /** Throws when the database cannot answer. */
  ping: () => Promise<void>;
  /** Migrations of this build the database lacks (empty when its schema is current). */
  pendingMigrations: () => Promise<string[]>;
  /**
   * Where the database can tell (PostgreSQL's LISTEN): calls `onChange` when an import, in any
   * process or on any machine, commits changes to the feed. Returns a stop function.
   */
  listen?: (onChange: () => void, onError?: (e: unknown) => void) => () => Promise<void>;
}

/** What the importer needs: a writer per import (on PostgreSQL, on the primary). */
export interface WriteStore {
  readonly kind: 'sqlite' | 'postgres';
  writer: () => ArchiveWriter;
}

export function sqliteReadStore(db: Database): ReadStore {
  // Requests read pages all over the file: mapped, a page costs no system call or copy, and 64 MB
  // of SQLite's own cache (default 2 MB) keeps the hot index pages. (Not for imports, whose
  // resident size would then count the whole file.)
  db.pragma(`mmap_size = ${4 * 1024 ** 3}`);
  db.pragma(`cache_size = -${64 * 1024}`);
  const runner = sqliteRunnerFactory(db);
  const version = dataVersionReader(db);
  const ping = db.prepare('SELECT 1');
  const changes = db.prepare('SELECT total_changes() AS n');
  return {
    kind: 'sqlite',
    runner,
    dataVersion: version,
    versionMovesWithoutCommits: true,
    ownWrites: () => (changes.get() as { n: number }).n,
    ping: () => Promise.resolve(void ping.get()),
    pendingMigrations: () => pendingMigrations(runner(), 'sqlite'),
  };
}

/** Reads go to the replicas when there are any (DATABASE_REPLICA_URLS), else to the primary. */
export function postgresReadStore(ds: DataSource): ReadStore {
  const { primary, replicas } = postgresPools(ds);
  const runner = postgresRunnerFactory(replicas.length ? replicas : [primary]);
  return {
    kind: 'postgres',
    runner,
    dataVersion: async () => {
      const r = await runner().get<{ version: number }>('SELECT version FROM data_version WHERE id = 1');
      return String(r?.version ?? 0);
    },
    // A statement-level trigger moves it with every write (migration PgInit).
    versionMovesWithoutCommits: false,
    ping: async () => {
      await Promise.all([primary, ...replicas].map((p) => p.query('SELECT 1')));
    },
    // The primary: replicas follow it, and it is what an import writes to.
    pendingMigrations: () => pendingMigrations(postgresRunnerFactory([primary])(), 'postgres'),
    // The primary too: notifications are not replicated.
    listen: (onChange, onError) => listenForFeedChanges(primary, onChange, onError),
  };
}

/** A runner on the database's primary, which may write (small bookkeeping such as webhook cursors; imports use writers). */
export function primaryRunnerOf(ds: DataSource): () => SqlRunner {
  return ds.options.type === 'postgres'
    ? postgresRunnerFactory([postgresPools(ds).primary])
    : sqliteRunnerFactory(nativeSqlite(ds));
}

/** The read store of an open TypeORM data source. */
export function readStoreOf(ds: DataSource): ReadStore {
  return ds.options.type === 'postgres' ? postgresReadStore(ds) : sqliteReadStore(nativeSqlite(ds));
}

/** The write store of an open TypeORM data source (PostgreSQL: its primary). */
export function writeStoreOf(ds: DataSource): WriteStore {
  if (ds.options.type === 'postgres') {
    const { primary } = postgresPools(ds);
    return { kind: 'postgres', writer: () => new PgWriter(primary) };
  }
  const db = nativeSqlite(ds);
  return { kind: 'sqlite', writer: () => new SqliteWriter(db) };
}
