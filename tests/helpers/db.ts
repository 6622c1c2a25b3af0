import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source';
import { nativeSqlite } from '../../src/db/native';
import { postgresPools } from '../../src/db/postgres';
import { numberPlaceholders } from '../../src/db/sql-runner';
import { readStoreOf, writeStoreOf, type ReadStore, type WriteStore } from '../../src/db/store';
import { tempPostgres } from './pg';

export const SEED = path.join(__dirname, '..', '..', 'seeds', 'finews');

/** The database the suite runs against: `npm test` SQLite, `npm run test:pg` PostgreSQL. */
export const BACKEND: 'sqlite' | 'postgres' = process.env.NEWSGRAPH_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/**
 * For tests about SQLite itself (its FTS5 index, WAL, killed writers and integrity_check, its
 * migration set): skipped when the suite runs on PostgreSQL, which has its own tests of the same.
 */
export const sqliteOnly = {
  describe: BACKEND === 'sqlite' ? describe : describe.skip,
  it: BACKEND === 'sqlite' ? it : it.skip,
};

export function tempDir(prefix = 'newsgraph-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TempDatabase {
  ds: DataSource;
  /** What the server reads through. */
  store: ReadStore;
  /** What imports write through. */
  writeStore: WriteStore;
  /** What `--db` takes: the SQLite file, or the PostgreSQL URL of a fresh schema. */
  file: string;
  /** The better-sqlite3 handle: SQLite-only tests. */
  readonly db: Database;
  /** Reads rows with `?` placeholders on either database. */
  query: <T = Record<string, any>>(sql: string, ...params: unknown[]) => Promise<T[]>;
  /** Runs a statement that returns no rows. */
  exec: (sql: string, ...params: unknown[]) => Promise<void>;
  /** Changes with any row written: SQLite's total_changes(), PostgreSQL's row versions (xmin) and counts. */
  writeStamp: () => Promise<string>;
  close: () => Promise<void>;
}

/** A migrated database of the suite's backend: a file in a fresh temp folder, or a fresh schema. */
export async function tempDatabase(): Promise<TempDatabase> {
  if (BACKEND === 'postgres') {
    const pg = await tempPostgres();
    const store = readStoreOf(pg.ds);
    const { primary } = postgresPools(pg.ds);
    return {
      ds: pg.ds,
      store,
      writeStore: writeStoreOf(pg.ds),
      file: pg.url,
      get db(): Database {
        throw new Error('this test reads SQLite directly; mark it sqliteOnly or use query()/exec()');
      },
      query: (sql, ...params) => store.runner().all(sql, params),
      exec: async (sql, ...params) => void (await primary.query(numberPlaceholders(sql), params)),
      writeStamp: async () => {
        const tables = (
          await primary.query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
        ).rows;
        const parts = tables.map(
          ({ tablename: t }) =>
            `SELECT '${t}:' || count(*) || ':' || coalesce(max(xmin::text::bigint), 0) AS s FROM "${t}"`,
        );
        return (await primary.query(parts.join(' UNION ALL '))).rows.map((r) => r.s).join(' ');
      },
      close: pg.close,
    };
  }
  const dir = tempDir('newsgraph-db-');
  const file = path.join(dir, 'test.db');
  const ds = await openDatabase(file);
  const db = nativeSqlite(ds);
  const store = readStoreOf(ds);
  return {
    ds,
    store,
    writeStore: writeStoreOf(ds),
    file,
    db,
    query: (sql, ...params) => store.runner().all(sql, params),
    exec: (sql, ...params) => Promise.resolve(void db.prepare(sql).run(...params)),
    writeStamp: () => Promise.resolve(String((db.prepare('SELECT total_changes() AS n').get() as { n: number }).n)),
    close: () => ds.destroy(),
  };
}

/** Copies a folder tree (the seed archive) so a test may change it. */
export function copyTree(from: string, to: string): string {
  fs.cpSync(from, to, { recursive: true });
  for (const f of walk(to)) fs.chmodSync(f, 0o644);
  return to;
}

function* walk(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      fs.chmodSync(p, 0o755);
      yield* walk(p);
    } else yield p;
  }
}

/** Tests that need the PostgreSQL server whatever the suite's backend (parity, replicas, the writer). */
export const withPostgres = process.env.NEWSGRAPH_PG_AVAILABLE === '0' ? describe.skip : describe;
