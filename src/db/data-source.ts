import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { entities } from '../entities';
import { sqliteMigrations } from '../../migrations/sqlite';
import { postgresOptions, replicaUrlsFromEnv } from './postgres';

export const DEFAULT_DB = path.join('data', 'newsgraph.db');

/** `--db` flag, else DATABASE_URL, else the embedded default. */
export function resolveDatabase(flag?: string): string {
  return flag || process.env.DATABASE_URL || DEFAULT_DB;
}

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** SQLite data source; the file's folder is created on first use. */
export function sqliteOptions(file: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return {
    type: 'better-sqlite3',
    database: file,
    entities,
    migrations: sqliteMigrations,
    migrationsRun: false,
    synchronize: false,
    // WAL lets readers (the server) go on while an import writes.
    enableWAL: true,
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('busy_timeout = 10000');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
    },
    ...extra,
  } as DataSourceOptions;
}

/**
 * Opens the database (a SQLite file, or a postgres:// URL with DATABASE_REPLICA_URLS for reads)
 * and applies pending migrations; `migrate: false` skips them (the workers of
 * `serve --workers`, whose primary has migrated the file once before forking them).
 */
export async function openDatabase(
  db: string,
  opts: { migrate?: boolean; replicas?: string[] } = {},
): Promise<DataSource> {
  const replicas = opts.replicas ?? replicaUrlsFromEnv();
  if (!isPostgresUrl(db) && replicas.length) {
    throw new Error(
      `DATABASE_REPLICA_URLS: read replicas need a PostgreSQL primary, and --db is the SQLite file ${db}`,
    );
  }
  if (replicas.some((r) => !isPostgresUrl(r)))
    throw new Error(
      `DATABASE_REPLICA_URLS: every replica must be a postgres:// URL (got ${replicas.map(redact).join(', ')})`,
    );
  const ds = new DataSource(isPostgresUrl(db) ? postgresOptions(db, replicas) : sqliteOptions(db));
  await ds.initialize();
  if (opts.migrate !== false) await ds.runMigrations({ transaction: 'each' });
  return ds;
}

/** Hides a password in a connection URL for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
