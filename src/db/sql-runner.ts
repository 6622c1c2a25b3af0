import type { Database, Statement } from 'better-sqlite3';

/**
 * Runs read SQL for one request and counts the statements, so the request log (and the batching
 * tests) can see how many statements a query cost. Prepared statements are shared across requests.
 */
export class SqlRunner {
  statements = 0;

  constructor(private readonly db: Database, private readonly cache: Map<string, Statement>) {}

  private prepare(sql: string): Statement {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      // Dynamic SQL (filters, IN lists) would otherwise grow the cache without bound.
      if (this.cache.size > 2000) this.cache.clear();
      this.cache.set(sql, stmt);
    }
    return stmt;
  }

  all<T>(sql: string, params: unknown[] = []): T[] {
    this.statements++;
    return this.prepare(sql).all(...params) as T[];
  }

  get<T>(sql: string, params: unknown[] = []): T | undefined {
    this.statements++;
    return this.prepare(sql).get(...params) as T | undefined;
  }
}

/** One statement cache per database, one runner per request. */
export function runnerFactory(db: Database): () => SqlRunner {
  const cache = new Map<string, Statement>();
  return () => new SqlRunner(db, cache);
}

/** `?, ?, ?` for an IN list. */
export function placeholders(n: number): string {
  return new Array(n).fill('?').join(', ');
}
