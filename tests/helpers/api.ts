import 'reflect-metadata';
import { graphql, GraphQLError } from 'graphql';
import { importArchives } from '../../src/db/importer';
import { runnerFactory } from '../../src/db/sql-runner';
import { createContext } from '../../src/graphql/context';
import { buildNewsgraphSchema } from '../../src/graphql/schema';
import { SEED, tempDatabase } from './db';

export interface Result {
  data: any;
  errors: readonly GraphQLError[] | undefined;
  statements: number;
}

/** The finews sample imported into a fresh database, and a function that runs GraphQL against it. */
export async function sampleApi() {
  const t = await tempDatabase();
  await importArchives(t.db, [SEED]);
  const schema = buildNewsgraphSchema();
  const newRunner = runnerFactory(t.db);
  const run = async (source: string, variableValues?: Record<string, unknown>): Promise<Result> => {
    const ctx = createContext(newRunner());
    const res = await graphql({ schema, source, variableValues, contextValue: ctx });
    return { data: res.data, errors: res.errors, statements: ctx.run.statements };
  };
  /** Runs and fails loudly on errors. */
  const ok = async (source: string, variables?: Record<string, unknown>) => {
    const r = await run(source, variables);
    if (r.errors?.length) throw new Error(r.errors.map((e) => e.message).join('\n'));
    return r.data;
  };
  return { ...t, run, ok };
}
