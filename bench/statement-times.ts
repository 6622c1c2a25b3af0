/**
 * A `-r` preload that times every better-sqlite3 statement of the main thread, by its SQL, and
 * writes the totals as JSON to NEWSGRAPH_STATEMENT_TIMES when the process exits. `profile.js`
 * runs an import child with it: a CPU profile shows the writer's native time as the JS function
 * that called into SQLite, not which statement (or the COMMIT, where FTS5 flushes) it was.
 */
import fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface StatementTime {
  /** The statement's SQL, whitespace collapsed, cut at `SQL_SHOWN` characters. */
  sql: string;
  calls: number;
  ms: number;
}

const SQL_SHOWN = 120;
const out = process.env.NEWSGRAPH_STATEMENT_TIMES;

/** Times every statement from now on; the returned function reads the totals, slowest first. */
export function timeStatements(): () => StatementTime[] {
  const totals = new Map<string, { calls: number; ns: bigint }>();
  const add = (sql: string, started: bigint) => {
    const key = sql.replace(/\s+/g, ' ').trim().slice(0, SQL_SHOWN);
    let t = totals.get(key);
    if (!t) totals.set(key, (t = { calls: 0, ns: 0n }));
    t.calls++;
    t.ns += process.hrtime.bigint() - started;
  };
  const probe = new Database(':memory:');
  // Statements share one prototype; `transaction()` runs its BEGIN and COMMIT through it too.
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>;
  probe.close();
  // Not `iterate`: its rows are read after it returns, so the call's time would say nothing.
  for (const method of ['run', 'get', 'all']) {
    const original = proto[method] as (...args: unknown[]) => unknown;
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      const started = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        add(this.source, started);
      }
    };
  }
  const dbProto = Database.prototype as unknown as Record<string, unknown>;
  const exec = dbProto.exec as (sql: string) => unknown;
  dbProto.exec = function (this: unknown, sql: string) {
    const started = process.hrtime.bigint();
    try {
      return exec.call(this, sql);
    } finally {
      add(sql, started);
    }
  };
  return () =>
    [...totals].map(([sql, t]) => ({ sql, calls: t.calls, ms: Number(t.ns) / 1e6 })).sort((a, b) => b.ms - a.ms);
}

if (out && isMainThread) {
  const report = timeStatements();
  process.on('exit', () => fs.writeFileSync(out, JSON.stringify(report())));
}

/** The slowest statements, as a table: total ms, calls, and microseconds per post written. */
export function statementTable(rows: StatementTime[], posts: number, top = 15): string {
  const total = rows.reduce((s, r) => s + r.ms, 0);
  const lines = rows
    .slice(0, top)
    .map(
      (r) =>
        `  ${r.ms.toFixed(0).padStart(7)} ms ${String(r.calls).padStart(8)} calls ${((1000 * r.ms) / Math.max(posts, 1)).toFixed(1).padStart(7)} us/post  ${r.sql}`,
    );
  return [
    ` statements: ${total.toFixed(0)} ms in all, ${((1000 * total) / Math.max(posts, 1)).toFixed(0)} us a post written`,
    ...lines,
  ].join('\n');
}
