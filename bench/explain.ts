/**
 * Where each benchmarked query spends its SQL time, and how SQLite plans it.
 *
 *   node dist/bench/explain.js [--posts N] [--seed S] [--cache DIR] [--db FILE] [--plans]
 *
 * Runs each query in process (warm: the third execution is reported), timing every statement the
 * request's SqlRunner issues, then prints EXPLAIN QUERY PLAN of each statement with --plans.
 */
import 'reflect-metadata';
import type { Database } from 'better-sqlite3';
import { graphql } from 'graphql';
import { openDatabase } from '../src/db/data-source';
import { nativeSqlite } from '../src/db/native';
import { sqliteRunnerFactory, SqlRunner } from '../src/db/sql-runner';
import { createContext } from '../src/graphql/context';
import { buildNewsgraphSchema } from '../src/graphql/schema';
import { dbFile } from './cache';
import { frontPageBuilder } from './floor-server';
import { pickRequests } from './queries';

interface Timed {
  sql: string;
  params: unknown[];
  ms: number;
  rows: number;
}

let sink: Timed[] | null = null;

/** Wraps SqlRunner's methods (at run time, this process only) to time each statement. */
function instrument(): void {
  // `get` goes through `all`: timing `all` sees every statement once.
  const proto = SqlRunner.prototype as unknown as Record<
    'all',
    (sql: string, params?: unknown[]) => Promise<unknown[]>
  >;
  const original = proto.all;
  proto.all = async function (this: SqlRunner, sql: string, params: unknown[] = []) {
    const t = performance.now();
    const out = await original.call(this, sql, params);
    sink?.push({ sql, params, ms: performance.now() - t, rows: out.length });
    return out;
  };
}

const oneLine = (sql: string, n = 110) => {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > n ? `${s.slice(0, n)}…` : s;
};

function plan(db: Database, sql: string, params: unknown[]): string {
  try {
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as {
      id: number;
      parent: number;
      detail: string;
    }[];
    const depth = new Map<number, number>([[0, 0]]);
    return rows
      .map((r) => {
        const d = (depth.get(r.parent) ?? 0) + 1;
        depth.set(r.id, d);
        return `${'  '.repeat(d)}${r.detail}`;
      })
      .join('\n');
  } catch (err) {
    return `  (no plan: ${(err as Error).message})`;
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const file =
    arg('--db') ??
    dbFile(arg('--cache') ?? 'bench/.cache', Number(arg('--posts') ?? 100000), Number(arg('--seed') ?? 1));
  const plans = process.argv.includes('--plans');
  instrument();
  const ds = await openDatabase(file);
  const db = nativeSqlite(ds);
  const schema = buildNewsgraphSchema();
  const newRunner = sqliteRunnerFactory(db);
  const posts = (db.prepare('SELECT count(*) AS n FROM post').get() as { n: number }).n;
  console.log(`# SQL per request, ${posts} posts (${file})\n`);
  for (const req of pickRequests(db)) {
    const { query, variables } = JSON.parse(req.bodies[0]);
    let total = 0;
    let timed: Timed[] = [];
    for (let i = 0; i < 3; i++) {
      sink = [];
      const t = performance.now();
      const res = await graphql({
        schema,
        source: query,
        variableValues: variables,
        contextValue: createContext(newRunner()),
      });
      total = performance.now() - t;
      if (res.errors?.length) throw new Error(res.errors.map((e) => e.message).join('; '));
      timed = sink;
    }
    sink = null;
    const sqlMs = timed.reduce((n, s) => n + s.ms, 0);
    console.log(
      `## ${req.label}: ${total.toFixed(1)} ms in process, ${timed.length} statements, ${sqlMs.toFixed(1)} ms in SQLite (${((100 * sqlMs) / total).toFixed(0)}%)\n`,
    );
    console.log(`${req.detail}\n`);
    for (const s of timed)
      console.log(`- ${s.ms.toFixed(2).padStart(7)} ms  ${String(s.rows).padStart(4)} rows  ${oneLine(s.sql)}`);
    if (plans) {
      for (const s of timed) console.log(`\n\`\`\`\n${oneLine(s.sql, 70)}\n${plan(db, s.sql, s.params)}\n\`\`\``);
    }
    console.log('');
  }
  const build = frontPageBuilder(db);
  await build();
  const t = performance.now();
  await build();
  console.log(
    `## front page floor (hand-written SQL, 7 statements): ${(performance.now() - t).toFixed(1)} ms in process\n`,
  );
  await ds.destroy();
}

main().catch((err: unknown) => {
  process.stderr.write(`explain: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
