import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext } from '@apollo/server';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';
import type { ReadStore } from '../db/store';
import type { ReadLog } from '../graphql/read-log';
import { envInt } from '../config/env-int';
import { BatchInvalidation } from './targeted-cache/batch-invalidation';
import { DependencyIndex } from './targeted-cache/dependency-index';
import { requestCoalescing } from './targeted-cache/request-coalescing';
import { selectsOnlyFollowedFields } from './targeted-cache/trackable-fields';

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
 * Times a response must be asked for before it is stored; GRAPHQL_RESPONSE_CACHE_MIN_USES, default
 * 2 (nginx's `proxy_cache_min_uses`): on a long tail of requests asked once (deep pages, rare
 * stocks, searches) storing every answer cost 20-27% of the server's throughput and evicted the
 * answers that do repeat (docs/performance.md, "A response is stored when it is asked again").
 */
export const DEFAULT_RESPONSE_CACHE_MIN_USES = 2;

export function responseCacheMinUsesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return envInt(env, 'GRAPHQL_RESPONSE_CACHE_MIN_USES', DEFAULT_RESPONSE_CACHE_MIN_USES, 1);
}

/** Requests counted while below the minimum: the oldest counts go first. */
const MAX_COUNTED = 50_000;

/** Whether a request, asked once more now, has been asked `minUses` times (counts by cache key). */
function usesCounter(minUses: number): (key: string) => boolean {
  const counts = new Map<string, number>();
  return (key) => {
    if (minUses <= 1) return true;
    const n = (counts.get(key) ?? 0) + 1;
    counts.delete(key);
    if (n >= minUses) return true;
    counts.set(key, n);
    if (counts.size > MAX_COUNTED) counts.delete(counts.keys().next().value!);
    return false;
  };
}

/** Apollo's plugin stores each key under this prefix in the cache it is given. */
const PLUGIN_PREFIX = 'fqc:';

/**
 * Whether Apollo's plugin stores a response once `shouldWriteToCache` says yes: it asks first and
 * only then turns away errors, answers without data, uncacheable policies and (we give it no
 * `sessionId`) private ones. Indexed and not stored, an entry would never be forgotten: the index
 * forgets what the cache drops.
 */
function pluginStores(rc: GraphQLRequestContext<BaseContext>): boolean {
  const body = rc.response.body;
  if (body?.kind !== 'single') return false;
  const { errors, data } = body.singleResult;
  if (errors || !data) return false;
  const policy = rc.overallCachePolicy.policyIfCacheable();
  return policy !== null && policy.scope !== 'PRIVATE';
}

/**
 * The LRU the plugin stores into. It refuses an answer larger than its whole budget without a
 * word (and without `dispose`): the index entry made for that answer goes then.
 */
class IndexedLRU extends InMemoryLRUCache<string> {
  constructor(
    options: ConstructorParameters<typeof InMemoryLRUCache<string>>[0],
    private readonly index: DependencyIndex,
  ) {
    super(options);
  }

  override async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    await super.set(key, value, options);
    if ((await super.get(key)) === undefined) this.index.forget(key);
  }
}

/** What the plugins need of a request's context: what its loaders read (createLoggedContext). */
interface LoggedContext extends BaseContext {
  reads?: ReadLog;
}

export interface ResponseCache<TContext extends BaseContext> {
  plugins: ApolloServerPlugin<TContext>[];
  /** Null when the cache is off. */
  invalidation: BatchInvalidation | null;
}

/**
 * Whole responses of successful queries, kept in an LRU of `megabytes` and keyed by the request
 * (document, operation, variables). Each entry remembers what its answer read (the read log and
 * the fields it selects), and an import batch drops only the entries it changed
 * (targeted-cache/batch-invalidation.ts): checked before any request reads the cache, so no answer
 * outlives the data it was computed from, however long its TTL (the HTTP max-age). A request that
 * misses while an identical one executes waits for its answer (request-coalescing.ts). Parsing,
 * validation and the query limits still run on every request; only execution is skipped.
 * Responses with errors are never stored, nor those asked for fewer than `minUses` times.
 */
export function responseCache<TContext extends LoggedContext>(
  megabytes: number,
  store: Pick<ReadStore, 'dataVersion' | 'runner' | 'versionMovesWithoutCommits' | 'ownWrites'>,
  minUses = DEFAULT_RESPONSE_CACHE_MIN_USES,
): ResponseCache<TContext> {
  if (megabytes === 0) return { plugins: [], invalidation: null };
  const askedEnough = usesCounter(minUses);
  const index = new DependencyIndex();
  const cache = new IndexedLRU(
    {
      maxSize: megabytes * 1024 * 1024,
      // The answer and what the index keeps of it (added just before the plugin stores the answer):
      // an entry follows a tag for each post, stock and related page its answer read.
      sizeCalculation: (value, key) => value.length + index.bytesOf(key),
      // An entry replaced by `set` is registered anew just before; every other way out forgets it.
      dispose: (_value, key, reason) => {
        if (reason !== 'set') index.forget(key);
      },
    },
    index,
  );
  const invalidation = new BatchInvalidation(store, index, {
    drop: (keys) => {
      for (const key of keys) void cache.delete(key);
    },
    dropAll: () => cache.clear(),
  });
  // Per request: the generation it started in, and its cache key.
  const started = new WeakMap<BaseContext, number>();
  const keys = new WeakMap<BaseContext, string>();
  const followed = new WeakMap<DocumentNode, boolean>();
  const follows = (rc: GraphQLRequestContext<TContext>) => {
    const doc = rc.document;
    if (!doc) return false;
    let f = followed.get(doc);
    if (f === undefined) followed.set(doc, (f = selectsOnlyFollowedFields(rc.schema, doc)));
    return f;
  };
  return {
    invalidation,
    plugins: [
      responseCachePlugin<TContext>({
        cache,
        extraCacheKeyData: async (rc) => {
          await invalidation.sync();
          started.set(rc.contextValue, invalidation.generation);
          return null;
        },
        generateCacheKey: (rc, data) => {
          const key = createHash('sha256').update(JSON.stringify(data)).digest('hex');
          keys.set(rc.contextValue, key);
          return key;
        },
        shouldWriteToCache: async (rc) => {
          if (!pluginStores(rc)) return false;
          const key = keys.get(rc.contextValue);
          // Entries may have gone since this request began: what it read may be among them.
          if (key === undefined || !askedEnough(key)) return false;
          if (started.get(rc.contextValue) !== invalidation.generation) return false;
          index.add(PLUGIN_PREFIX + key, follows(rc) ? (rc.contextValue.reads ?? null) : null);
          return true;
        },
      }),
      requestCoalescing<TContext>(
        (ctx) => keys.get(ctx),
        (key) => cache.get(PLUGIN_PREFIX + key),
      ),
    ],
  };
}
