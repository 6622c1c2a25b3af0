import type { PoolClient } from 'pg';

/** A statement with its parameters ($1…). */
export interface Part {
  sql: string;
  args: unknown[];
}

/**
 * Statements sent without waiting for each other: each goes out as soon as the one before it is
 * answered, while JS goes on preparing the next, so the server's work and ours overlap. (Chained
 * here: pg's own queueing of a query sent during another is deprecated.) Once one fails the rest
 * are not sent, and each reports that first error.
 */
export class Pipeline {
  /**
   * The last statement sent, never rejecting: each waits for the one before, so this settles when
   * all have. Nothing else is kept: holding every statement's promise until `done` held its rows
   * too, and a long transaction's reads (a reindex reads every post's text) then filled the heap.
   */
  private tail: Promise<unknown> = Promise.resolve();
  private failed: Error | null = null;

  constructor(private readonly c: PoolClient) {}

  /** Sends as soon as possible; the rows come later. */
  ask(sql: string, args: unknown[] = []): Promise<Record<string, unknown>[]> {
    const p = this.tail.then(async () => {
      if (this.failed) throw this.failed;
      try {
        return (await this.c.query<Record<string, unknown>>(sql, args)).rows;
      } catch (err) {
        throw (this.failed = err as Error);
      }
    });
    this.tail = p.catch(() => {}); // awaited by the caller; its failure also by `done`
    return p;
  }

  send(sql: string, args: unknown[] = []): void {
    void this.ask(sql, args);
  }

  /**
   * Sends independent writes (to different rows) as one statement, each a data-modifying CTE: one
   * round trip, and the server has all of them to work on while JS prepares what comes next.
   */
  sendTogether(parts: Part[]): void {
    if (parts.length === 0) return;
    if (parts.length === 1) return this.send(parts[0].sql, parts[0].args);
    const args: unknown[] = [];
    const ctes = parts.map((q, i) => {
      const base = args.length;
      args.push(...q.args);
      return `w${i} AS (${q.sql.replace(/\$(\d+)/g, (_, n) => `$${Number(n) + base}`)})`;
    });
    this.send(`WITH ${ctes.join(',\n')} SELECT 1`, args);
  }

  query(sql: string, args: unknown[] = []): Promise<Record<string, unknown>[]> {
    return this.ask(sql, args);
  }

  /** Waits for everything sent; fails with the first error. */
  async done(): Promise<void> {
    await this.tail;
    if (this.failed) throw this.failed;
  }

  /** After a failure: waits until nothing is in flight, then rolls back. */
  async rollback(): Promise<void> {
    await this.tail;
    await this.c.query('ROLLBACK');
  }
}
