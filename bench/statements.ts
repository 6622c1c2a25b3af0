/**
 * SQL statements per request: each query run once in this process through the same schema and
 * per-request context the server builds, reading the statement counter of its SqlRunner.
 */
import 'reflect-metadata';
import type { Database } from 'better-sqlite3';
import { graphql } from 'graphql';
import { sqliteRunnerFactory } from '../src/db/sql-runner';
import { createContext } from '../src/graphql/context';
import { buildNewsgraphSchema } from '../src/graphql/schema';

export interface StatementCount {
  statements: number;
  /** Wall time of this single in-process execution (cold statement cache on the first body). */
  ms: number;
  data: unknown;
}

export async function countStatements(db: Database, body: string): Promise<StatementCount> {
  const { query, variables } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
  const schema = buildNewsgraphSchema();
  const ctx = createContext(sqliteRunnerFactory(db)());
  const started = performance.now();
  const res = await graphql({ schema, source: query, variableValues: variables, contextValue: ctx });
  const ms = performance.now() - started;
  if (res.errors?.length) throw new Error(`query failed in process: ${res.errors.map((e) => e.message).join('; ')}`);
  return { statements: ctx.run.statements, ms, data: res.data };
}
