import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { entities } from '../entities';
import { sqliteMigrations } from '../../migrations/sqlite';
import { postgresOptions, replicaUrlsFromEnv } from './postgres';
import { UsageError } from '../config/usage-error';

export const DEFAULT_DB = path.join('data', 'newsgraph.db');

/** The database could not be opened (a missing server, an unreadable file): the message names it and why. */
export class DatabaseOpenError extends Error {
  constructor(db: string, reason: string, options?: { cause?: unknown }) {
    super(`database ${redact(db)}: ${reason}`, options);
    this.name = 'DatabaseOpenError';
  }
}

/**
 * `--db` flag, else DATABASE_URL, else the embedded default; a UsageError naming the flag or variable
 * when it is empty or a URL other than postgres://. `mustExist`: a SQLite file must be there already
 * (`reindex` and `compact`, where a typo would otherwise create an empty database and report success).
 */
export function resolveDatabase(flag?: string, opts: { mustExist?: boolean } = {}): string {
  const env = process.env.DATABASE_URL;
  const [from, value] =
    flag !== undefined ? ['--db', flag] : env !== undefined ? ['DATABASE_URL', env] : ['', DEFAULT_DB];
  if (value.trim() === '') throw new UsageError(`${from}: empty (give a SQLite file path or a postgres:// URL)`);
  const shown = from === '--db' ? `--db ${redact(value)}` : from ? `DATABASE_URL=${redact(value)}` : value;
  // A scheme, as in `mysql://…` or `postgres:/host` (one letter is a Windows drive, not a scheme).
  if (!isPostgresUrl(value) && /^[a-z][a-z0-9+.-]+:/i.test(value))
    throw new UsageError(
      `${shown}: only postgres:// URLs or SQLite file paths (write ./${value} for a file whose name has a colon)`,
    );
  if (isPostgresUrl(value)) {
    try {
      const url = new URL(value);
      decodeURIComponent(url.username + url.password + url.pathname);
    } catch {
      throw new UsageError(`${shown}: not a valid postgres:// URL`);
    }
  }
  if (opts.mustExist && !isPostgresUrl(value) && value !== ':memory:' && !fs.existsSync(value))
    throw new UsageError(`${shown}: no such SQLite database file`);
  return value;
}

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/**
 * `mkdir -p`, one level at a time: Node's `recursive: true` loops forever where a folder cannot be
 * made in a parent that exists (ENOENT under /proc).
 */
function makeFolder(dir: string): void {
  if (fs.existsSync(dir)) return;
  const parent = path.dirname(dir);
  if (parent !== dir) makeFolder(parent);
  try {
    fs.mkdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/**
 * The page size of the SQLite files we create (SQLite's default is 4 KB). An import commits a
 * batch's pages to the write-ahead log one frame each: with 8 KB pages the 100k import took
 * 80-88 s against 84-99 s (four runs each), and the bench's pages answered as fast; 16 KB pages
 * imported as fast but cost point reads 5-13% more CPU (docs/performance.md, "Twenty-ninth
 * session"). A file made before keeps its pages until `compact`.
 */
export const SQLITE_PAGE_SIZE = 8192;

/** SQLite data source; the file's folder is created on first use. */
export function sqliteOptions(file: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  if (file !== ':memory:') makeFolder(path.dirname(path.resolve(file)));
  return {
    type: 'better-sqlite3',
    database: file,
    entities,
    migrations: sqliteMigrations,
    migrationsRun: false,
    synchronize: false,
    // WAL lets readers (the server) go on while an import writes.
    enableWAL: true,
    prepareDatabase: (db: { pragma(s: string, o?: { simple: boolean }): unknown }) => {
      db.pragma('busy_timeout = 10000');
      // Only a file with no pages yet takes a page size (before WAL, which fixes it).
      if (db.pragma('page_count', { simple: true }) === 0) db.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
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
    throw new UsageError(
      `DATABASE_REPLICA_URLS: read replicas need a PostgreSQL primary, and --db is the SQLite file ${db}`,
    );
  }
  if (replicas.some((r) => !isPostgresUrl(r)))
    throw new UsageError(
      `DATABASE_REPLICA_URLS: every replica must be a postgres:// URL (got ${replicas.map(redact).join(', ')})`,
    );
  let ds: DataSource;
  try {
    ds = new DataSource(isPostgresUrl(db) ? postgresOptions(db, replicas) : sqliteOptions(db));
    await ds.initialize();
  } catch (err) {
    throw new DatabaseOpenError(db, openFailure(db, err), { cause: err });
  }
  try {
    if (opts.migrate !== false) await ds.runMigrations({ transaction: 'each' });
  } catch (err) {
    await ds.destroy().catch(() => undefined);
    // A file that is not a database, or read-only, fails here; anything else is a bug and keeps its stack.
    if (isSqliteFileError(err)) throw new DatabaseOpenError(db, openFailure(db, err), { cause: err });
    throw err;
  }
  return ds;
}

const SQLITE_FILE_CODES = /^SQLITE_(CANTOPEN|NOTADB|READONLY|IOERR|PERM|CORRUPT|FULL|AUTH)/;

function isSqliteFileError(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && SQLITE_FILE_CODES.test(code);
}

/** Why the database did not open, in words (without a password the message may quote). */
function openFailure(db: string, err: unknown): string {
  const e = err as { code?: unknown; message?: unknown; errors?: unknown[] };
  const code = typeof e?.code === 'string' ? e.code : undefined;
  let message = typeof e?.message === 'string' && e.message ? e.message : String(err);
  // AggregateError (a host name with several addresses): its message is empty; the first says why.
  if (!message && Array.isArray(e?.errors) && e.errors.length) return openFailure(db, e.errors[0]);
  if (!isPostgresUrl(db)) {
    const file = path.resolve(db);
    if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_NOTADB')
      message = fs.existsSync(file) && fs.statSync(file).isDirectory() ? 'is a folder, not a SQLite file' : message;
  } else if (err instanceof URIError || /invalid url/i.test(message)) {
    message = `not a valid postgres:// URL (${message})`;
  }
  message = message.split(db).join(redact(db));
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/** Hides a password in a connection URL for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
