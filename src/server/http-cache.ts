import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import type { RequestHandler } from 'express';
import { envInt } from './env-int';

/** Seconds a CDN or browser may keep a successful GET response; GRAPHQL_CACHE_MAX_AGE, default 60. */
export const DEFAULT_CACHE_MAX_AGE = 60;

export function cacheMaxAgeFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return envInt(
    env,
    'GRAPHQL_CACHE_MAX_AGE',
    DEFAULT_CACHE_MAX_AGE,
    0,
    'a whole number of seconds (0 turns caching off)',
  );
}

/**
 * Every /graphql response starts as `Cache-Control: no-store`, so errors answered outside Apollo
 * (CSRF refusal, body too large, malformed JSON, batch limit, persisted-only refusals) are never
 * cached. GET responses vary by `Accept` (application/json or application/graphql-response+json).
 */
export const noStoreByDefault: RequestHandler = (req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  if (req.method === 'GET') res.vary('Accept');
  next();
};

/**
 * HTTP caching of GraphQL responses. Apollo's cache control plugin computes the policy (every root
 * field and object field gets `defaultMaxAge` unless a resolver or `@cacheControl` hint says
 * otherwise; the response gets the smallest); this plugin writes the header: a GET that succeeded
 * without errors gets `public, max-age=N`; anything else (POST, batches, errors, max-age 0) `no-store`.
 */
export function httpCachePlugins(maxAge: number): ApolloServerPlugin[] {
  const header: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response, overallCachePolicy }) {
          const policy = overallCachePolicy.policyIfCacheable();
          const cacheable =
            request.http?.method === 'GET' &&
            response.body.kind === 'single' &&
            !response.body.singleResult.errors?.length &&
            (response.http.status ?? 200) === 200 &&
            policy !== null;
          response.http.headers.set(
            'cache-control',
            cacheable ? `${policy.scope.toLowerCase()}, max-age=${policy.maxAge}` : 'no-store',
          );
        },
      };
    },
  };
  return [ApolloServerPluginCacheControl({ defaultMaxAge: maxAge, calculateHttpHeaders: false }), header];
}
