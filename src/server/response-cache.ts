import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { envInt } from './env-int';

/** Memory for cached responses, in MiB; GRAPHQL_RESPONSE_CACHE_MB, default 64, 0 turns it off. */
export const DEFAULT_RESPONSE_CACHE_MB = 64;

export function responseCacheMbFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return envInt(
    env,
    'GRAPHQL_RESPONSE_CACHE_MB',
    DEFAULT_RESPONSE_CACHE_MB,
    0,
    'a whole number of MiB (0 turns the cache off)',
  );
}

/**
 * Whole responses of successful queries, kept in an LRU of `megabytes` and keyed by the request
 * (document, operation, variables) and the database's data version: an import that commits
 * changes the version, so no response outlives the data it was computed from, however long its
 * TTL (the HTTP max-age). Parsing, validation and the query limits still run on every request;
 * only execution is skipped. Responses with errors are never stored.
 */
export function responseCachePlugins<TContext extends BaseContext>(
  megabytes: number,
  dataVersion: () => string | Promise<string>,
): ApolloServerPlugin<TContext>[] {
  if (megabytes === 0) return [];
  return [
    responseCachePlugin({
      cache: new InMemoryLRUCache({ maxSize: megabytes * 1024 * 1024 }),
      extraCacheKeyData: async () => dataVersion(),
    }),
  ];
}
