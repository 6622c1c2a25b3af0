import type { SqlRunner } from '../db/sql-runner';
import type { PostEvents } from './live/post-events';
import { createLoaders, Loaders } from './loaders';

/** Per-request state: the statement-counting SQL runner and fresh DataLoaders. */
export interface Context {
  run: SqlRunner;
  loaders: Loaders;
  /** Over WebSocket only: the change feed's subscriptions. */
  live?: {
    events: PostEvents;
    /** Gives this context a fresh runner and loaders, per event: a subscription lives long, what it loaded goes stale. */
    refresh: () => void;
  };
}

export function createContext(run: SqlRunner): Context {
  return { run, loaders: createLoaders(run) };
}
