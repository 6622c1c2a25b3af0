import type { Statement } from 'better-sqlite3';
import { numberPlaceholders, SqlRunner } from '../sql-runner';

// The related lists' SQL is written once as a coroutine that yields statements (`?` placeholders)
// and takes their rows back: SQLite's writer runs it synchronously inside its transaction, and
// PostgreSQL's writer and the request path run it asynchronously, so both databases execute the
// same plan.

export interface Query {
  sql: string;
  params: unknown[];
}

export type Row = Record<string, unknown>;
export type Program<T> = Generator<Query, T, Row[]>;

/** Runs a program on better-sqlite3, synchronously (fits inside `db.transaction`); `prepare` may cache. */
export function runSync<T>(prepare: (sql: string) => Statement<unknown[]>, program: Program<T>): T {
  let step = program.next();
  while (!step.done) {
    const stmt = prepare(step.value.sql);
    const rows = stmt.reader ? (stmt.all(...step.value.params) as Row[]) : (stmt.run(...step.value.params), []);
    step = program.next(rows);
  }
  return step.value;
}

/** Runs a program through an asynchronous query function (`pg` takes `$n`: see `withNumbered`). */
export async function runAsync<T>(query: (sql: string, params: unknown[]) => Promise<Row[]>, program: Program<T>) {
  let step = program.next();
  while (!step.done) step = program.next(await query(step.value.sql, step.value.params));
  return step.value;
}

/** A query function for PostgreSQL: `?` placeholders numbered. */
export function withNumbered(query: (sql: string, params: unknown[]) => Promise<Row[]>) {
  return (sql: string, params: unknown[]) => query(numberPlaceholders(sql), params);
}

/** Runs a program on a request's runner (statements counted like any other). */
export async function runOnRunner<T>(run: SqlRunner, program: Program<T>): Promise<T> {
  let step = program.next();
  while (!step.done) step = program.next(await run.all<Row>(step.value.sql, step.value.params));
  return step.value;
}

/** Splits a list into chunks (SQLite allows 500 SELECTs in a compound and 32,766 parameters). */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Rows per multi-row INSERT (a few parameters each: far below both databases' limits). */
const ROWS_PER_INSERT = 500;

/** Multi-row INSERTs of `rows` (values in `columns` order), `tail` after each (an ON CONFLICT clause). */
export function* insertRows(table: string, columns: string[], rows: unknown[][], tail = ''): Program<void> {
  const row = `(${columns.map(() => '?').join(', ')})`;
  for (const part of chunks(rows, ROWS_PER_INSERT)) {
    yield {
      sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => row).join(', ')} ${tail}`,
      params: part.flat(),
    };
  }
}
