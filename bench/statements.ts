/**
 * SQL statements per request: each query run in this process through the same schema and
 * per-request context the server builds, reading the statement counter of its SqlRunner. Run
 * twice over one names cache as the server keeps it (src/graphql/loaders/entity-cache.ts): the
 * first run is what a request costs right after an import commit, the second what it costs after.
 */
import 'reflect-metadata';
import type { Database } from 'better-sqlite3';
import { graphql } from 'graphql';
import { dataVersionReader } from '../src/db/data-version';
import { sqliteRunnerFactory } from '../src/db/sql-runner';
import { createContext } from '../src/graphql/context';
import { EntityCache } from '../src/graphql/loaders/entity-cache';
import { buildNewsgraphSchema } from '../src/graphql/schema';
import type { BenchRequest } from './queries';

export interface StatementCount {
  /** With the names the page shows in the server's memory (its steady state). */
  statements: number;
  /** The first request after an import commit, which reads the names too. */
  coldStatements: number;
  /** Wall time of this single in-process execution (cold statement cache on the first body). */
  ms: number;
  data: unknown;
}

export async function countStatements(db: Database, body: string): Promise<StatementCount> {
  const { query, variables } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
  const schema = buildNewsgraphSchema();
  const names = new EntityCache(dataVersionReader(db));
  const runner = sqliteRunnerFactory(db);
  const once = async () => {
    const ctx = createContext(runner(), names.view());
    const started = performance.now();
    const res = await graphql({ schema, source: query, variableValues: variables, contextValue: ctx });
    const ms = performance.now() - started;
    if (res.errors?.length) throw new Error(`query failed in process: ${res.errors.map((e) => e.message).join('; ')}`);
    return { statements: ctx.run.statements, ms, data: res.data };
  };
  const cold = await once();
  const warm = await once();
  return { statements: warm.statements, coldStatements: cold.statements, ms: cold.ms, data: warm.data };
}

export interface PageSizeCount {
  pageSize: number;
  /** Null when the query failed at this size (`error` says why). */
  statements: number | null;
  error?: string;
}

/**
 * Statements per request of a page's first body with its document at each page size (posts per
 * page; a post page's related posts): the count should not grow with the page.
 */
export async function statementsByPageSize(
  db: Database,
  req: BenchRequest,
  sizes: readonly number[],
): Promise<PageSizeCount[]> {
  const { variables } = JSON.parse(req.bodies[0]) as { variables?: Record<string, unknown> };
  const counts: PageSizeCount[] = [];
  for (const pageSize of sizes) {
    try {
      const c = await countStatements(db, JSON.stringify({ query: req.document(pageSize), variables }));
      counts.push({ pageSize, statements: c.statements });
    } catch (e) {
      counts.push({ pageSize, statements: null, error: (e as Error).message });
    }
  }
  return counts;
}
