import type { Database, Statement } from 'better-sqlite3';
import type { Pool } from 'pg';
import { Dialect, postgresDialect, sqliteDialect } from './dialect';

/**
 * Runs read SQL for one request and counts the statements, so the request log (and the batching
 * tests) can see how many statements a query cost. SQL uses `?` placeholders on both databases.
 */
export abstract class SqlRunner {
  statements = 0;
  abstract readonly dialect: Dialect;

  all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.statements++;
    return this.query<T>(sql, params);
  }

  async get<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** The first column of every row as numbers: for long lists of ids, with no object a row. */
  numbers(sql: string, params: unknown[] = []): Promise<number[]> {
    this.statements++;
    return this.queryNumbers(sql, params);
  }

  protected abstract query<T>(sql: string, params: unknown[]): Promise<T[]>;

  protected async queryNumbers(sql: string, params: unknown[]): Promise<number[]> {
    const rows = await this.query<Record<string, unknown>>(sql, params);
    return rows.map((r) => Number(Object.values(r)[0]));
  }
}

/** Dynamic SQL (filters, IN lists) would otherwise grow a per-database cache without bound. */
const MAX_CACHED = 2000;

function cached<V>(cache: Map<string, V>, sql: string, make: (sql: string) => V): V {
  let v = cache.get(sql);
  if (v === undefined) {
    v = make(sql);
    if (cache.size > MAX_CACHED) cache.clear();
    cache.set(sql, v);
  }
  return v;
}

/** A prepared read and its column names, for rows built in JS from better-sqlite3's arrays. */
interface RawRead {
  stmt: Statement<unknown[]>;
  names: string[];
}

function rawRead(db: Database, sql: string): RawRead {
  const stmt = db.prepare(sql);
  if (!stmt.reader) throw new Error(`a read statement returns rows; this one does not: ${sql.slice(0, 80)}`);
  return { stmt: stmt.raw(true), names: stmt.columns().map((c) => c.name) };
}

/**
 * Rows as objects, built here from arrays: better-sqlite3 builds an object key by key in C++,
 * which costs ~20% more than its arrays and this loop (a front page's post rows: 108 -> 90 us).
 * A later column of the same name wins, as in better-sqlite3's own objects.
 */
function rowsOf(read: RawRead, params: unknown[]): Record<string, unknown>[] {
  const { names } = read;
  const arrays = read.stmt.all(...params) as unknown[][];
  const rows = new Array<Record<string, unknown>>(arrays.length);
  for (let r = 0; r < arrays.length; r++) {
    const a = arrays[r];
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) row[names[i]] = a[i];
    rows[r] = row;
  }
  return rows;
}

class SqliteRunner extends SqlRunner {
  readonly dialect = sqliteDialect;

  constructor(
    private readonly db: Database,
    private readonly cache: Map<string, RawRead>,
    private readonly plucks: Map<string, Statement<unknown[]>>,
  ) {
    super();
  }

  protected override queryNumbers(sql: string, params: unknown[]): Promise<number[]> {
    // Plucked: better-sqlite3 hands the values over without an array a row (half the time at 50k ids).
    const stmt = cached(this.plucks, sql, (s) => this.db.prepare(s).pluck(true));
    return Promise.resolve(stmt.all(...params).map(Number));
  }

  protected query<T>(sql: string, params: unknown[]): Promise<T[]> {
    return Promise.resolve(
      rowsOf(
        cached(this.cache, sql, (s) => rawRead(this.db, s)),
        params,
      ) as T[],
    );
  }
}

/** `?` -> `$1, $2, …`, outside quoted literals and identifiers. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  let quote: string | null = null;
  let out = '';
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  return out;
}

class PostgresRunner extends SqlRunner {
  readonly dialect = postgresDialect;

  constructor(
    private readonly pool: Pool,
    private readonly cache: Map<string, string>,
  ) {
    super();
  }

  protected async query<T>(sql: string, params: unknown[]): Promise<T[]> {
    const res = await this.pool.query(cached(this.cache, sql, numberPlaceholders), params);
    return res.rows as T[];
  }
}

/** One statement cache per SQLite database, one runner per request. */
export function sqliteRunnerFactory(db: Database): () => SqlRunner {
  const cache = new Map<string, RawRead>();
  const plucks = new Map<string, Statement<unknown[]>>();
  return () => new SqliteRunner(db, cache, plucks);
}

/**
 * Runners over PostgreSQL pools (the replicas, else the primary), taken in turn: one request reads
 * from one server, so it never mixes two replicas' states.
 */
export function postgresRunnerFactory(pools: Pool[]): () => SqlRunner {
  if (pools.length === 0) throw new Error('no PostgreSQL pool to read from');
  const cache = new Map<string, string>();
  let next = 0;
  return () => new PostgresRunner(pools[next++ % pools.length], cache);
}

/** `?, ?, ?` for an IN list. */
export function placeholders(n: number): string {
  return new Array(n).fill('?').join(', ');
}

/**
 * A positive IN list (`x IN (…)`) whose length is rounded up to a power of two, padded with NULLs,
 * which match nothing: batch loaders ask for any number of keys, and one statement per exact
 * length would keep the prepared-statement cache full of near-copies (and preparing them showed
 * in the read path's profile). Never for NOT IN, where a NULL makes the test unknown for every row.
 */
export function inList(values: readonly unknown[]): { sql: string; params: unknown[] } {
  let n = 1;
  while (n < values.length) n *= 2;
  const params = [...values];
  while (params.length < n) params.push(null);
  return { sql: `(${placeholders(n)})`, params };
}
