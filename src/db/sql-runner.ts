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

  protected abstract query<T>(sql: string, params: unknown[]): Promise<T[]>;
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

class SqliteRunner extends SqlRunner {
  readonly dialect = sqliteDialect;

  constructor(
    private readonly db: Database,
    private readonly cache: Map<string, Statement<unknown[]>>,
  ) {
    super();
  }

  protected query<T>(sql: string, params: unknown[]): Promise<T[]> {
    const stmt: Statement<unknown[]> = cached(this.cache, sql, (s) => this.db.prepare(s));
    return Promise.resolve(stmt.all(...params) as T[]);
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
  const cache = new Map<string, Statement<unknown[]>>();
  return () => new SqliteRunner(db, cache);
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
