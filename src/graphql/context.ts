import type { FacetIndex } from '../db/queries/facet-index';
import type { SqlRunner } from '../db/sql-runner';
import type { PostEvents } from './live/post-events';
import { createLoaders, Loaders } from './loaders';
import type { EntityCacheView } from './loaders/entity-cache';
import { ReadLog } from './read-log';

/** Per-request state: the statement-counting SQL runner and fresh DataLoaders. */
export interface Context {
  run: SqlRunner;
  loaders: Loaders;
  /** The server's facet columns (postFacets counts a set in memory with them); else facets count in SQL. */
  facets?: FacetIndex;
  /** What this request read, for the response cache (HTTP requests only). */
  reads?: ReadLog;
  /** Over WebSocket only: the change feed's subscriptions. */
  live?: {
    events: PostEvents;
    /** Gives this context a fresh runner and loaders, per event: a subscription lives long, what it loaded goes stale. */
    refresh: () => void;
  };
}

/** `names`: the server's cache of categories, tags, stocks, ... (loaders/entity-cache.ts); else this request's own. */
export function createContext(run: SqlRunner, names?: EntityCacheView, facets?: FacetIndex): Context {
  return { run, loaders: createLoaders(run, undefined, names), facets };
}

/**
 * What a context's loaders become once its response has gone (server/release-after-response.ts):
 * nothing should load after that, and whatever does is told why instead of reading undefined.
 */
const RELEASED: Loaders = new Proxy({} as Loaders, {
  get: (_target, key) => {
    throw new Error(`the request has ended and its loaders were released; ${String(key)} was asked for after it`);
  },
});

/** Lets go of what a request read (its loaders' rows, its read log) once its response has gone. */
export function releaseContext(ctx: Context): void {
  ctx.loaders = RELEASED;
  ctx.reads = undefined;
}

/** A context whose loaders log what they read (read-log.ts): HTTP requests, which the response cache may keep. */
export function createLoggedContext(run: SqlRunner, names?: EntityCacheView, facets?: FacetIndex): Context {
  const reads = new ReadLog();
  return { run, loaders: createLoaders(run, reads, names), reads, facets };
}
