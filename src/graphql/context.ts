import type { SqlRunner } from '../db/sql-runner';
import { createLoaders, Loaders } from './loaders';

/** Per-request state: the statement-counting SQL runner and fresh DataLoaders. */
export interface Context {
  run: SqlRunner;
  loaders: Loaders;
}

export function createContext(run: SqlRunner): Context {
  return { run, loaders: createLoaders(run) };
}
