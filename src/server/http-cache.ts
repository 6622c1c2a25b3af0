import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import {
  DocumentNode,
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  OperationDefinitionNode,
  OperationTypeNode,
  SelectionSetNode,
} from 'graphql';
import type { RequestHandler } from 'express';
import { envInt } from '../config/env-int';

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
 * HTTP caching of GraphQL responses: a GET that succeeded without errors gets `public, max-age=N`;
 * anything else (POST, batches, errors, max-age 0, a query of meta fields only) `no-store`.
 *
 * The policy is the one Apollo's cache control plugin computes for a schema without `@cacheControl`
 * hints, which ours is (tests/server/http-cache.test.ts checks): every root field gets
 * `defaultMaxAge`, so a query that selects one is cacheable for it. That plugin computes it per
 * field, and any per-field hook makes Apollo wrap every resolver of the schema (the default ones
 * too): ~770 wrapped calls for a front page. So we set the policy once per operation instead, and
 * the response cache (response-cache.ts), which stores what the policy allows, reads the same one.
 */
export function httpCachePlugins(maxAge: number): ApolloServerPlugin[] {
  const policy: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, overallCachePolicy }) {
          if (
            maxAge > 0 &&
            operation?.operation === OperationTypeNode.QUERY &&
            selectsDataField(operation, document, request.variables)
          )
            overallCachePolicy.restrict({ maxAge, scope: 'PUBLIC' });
          else overallCachePolicy.restrict({ maxAge: 0 });
        },
        async willSendResponse({ request, response, overallCachePolicy }) {
          const cacheable = overallCachePolicy.policyIfCacheable();
          const ok =
            request.http?.method === 'GET' &&
            response.body.kind === 'single' &&
            !response.body.singleResult.errors?.length &&
            (response.http.status ?? 200) === 200 &&
            cacheable !== null;
          response.http.headers.set(
            'cache-control',
            ok ? `${cacheable.scope.toLowerCase()}, max-age=${cacheable.maxAge}` : 'no-store',
          );
        },
      };
    },
  };
  return [ApolloServerPluginCacheControlDisabled(), policy];
}

type Variables = Record<string, unknown> | undefined;

/** Whether a selection is left out by `@skip` or `@include` (as graphql-js executes them). */
function excluded(node: Parameters<typeof getDirectiveValues>[1], variables: Variables): boolean {
  if (!node.directives?.length) return false;
  try {
    return (
      getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true ||
      getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if === false
    );
  } catch {
    // A variable missing or null: execution refuses it with its own 400; until then, not left out.
    return false;
  }
}

/** Whether the operation executes a root field other than `__typename`, `__schema` and `__type`. */
function selectsDataField(operation: OperationDefinitionNode, document: DocumentNode, variables: Variables): boolean {
  const fragments = new Map<string, SelectionSetNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d.selectionSet);
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode): boolean =>
    set.selections.some((s) => {
      if (excluded(s, variables)) return false;
      if (s.kind === Kind.FIELD) return !s.name.value.startsWith('__');
      if (s.kind === Kind.INLINE_FRAGMENT) return walk(s.selectionSet);
      const name = s.name.value;
      if (seen.has(name)) return false;
      seen.add(name);
      const fragment = fragments.get(name);
      return fragment !== undefined && walk(fragment);
    });
  return walk(operation.selectionSet);
}
