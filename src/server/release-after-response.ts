import type { ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext } from '@apollo/server';

/**
 * Why a request's objects are let go by hand once its response has gone.
 *
 * Apollo runs our executor (compiled-execution.ts) through its gateway interface. For each operation
 * it builds a request context for the gateway whose `response.http` has a `status` getter and setter
 * over a copy of Apollo's own request context. V8 allocates the getter/setter pair of an object
 * literal in the old generation, so every request's context (its loaders and each row they read)
 * and its result stay reachable from the old generation until the next full collection, however
 * long ago the request ended. Each young-generation collection then copied them and promoted them:
 * ~165 KB a front page, ~27 KB even for `{ __typename }` (docs/performance.md, nineteenth session).
 * Cutting the links we own once the response is sent (the result Apollo keeps, the context's
 * loaders) leaves that old pair holding a few small objects.
 */
const RELEASES = Symbol('releases');

type Releasable = { [RELEASES]?: (() => void)[] };

/**
 * Runs `release` once the response of the request whose context is `context` has gone. Apollo
 * hands each operation a shallow copy of the context: the list is shared by the copies.
 */
export function onResponseGone(context: object, release: () => void): void {
  (context as Releasable)[RELEASES]?.push(release);
}

/**
 * Gives a new request's `context` its list of releases, run once `res` has finished (its last byte
 * handed to the socket). A response the client abandoned never finishes: its request may still be
 * running, so nothing is released, and its objects go as before, with the next full collection.
 */
export function releaseWhenGone(res: ServerResponse, context: object): void {
  const releases: (() => void)[] = [];
  (context as Releasable)[RELEASES] = releases;
  res.once('finish', () => {
    for (const release of releases.splice(0)) release();
  });
}

/**
 * Lets go of each operation's result (Apollo has serialized it by then, and only its gateway
 * context still points at it) and, through `releaseContext`, of what the operation's copy of the
 * context holds, once the response is sent.
 */
export function releaseAfterResponsePlugin<T extends BaseContext>(
  releaseContext: (context: T) => void,
): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          // Typed as sent (body required) in this hook; it is the request's in-progress response.
          const sent: GraphQLRequestContext<T>['response'] = response;
          onResponseGone(contextValue, () => {
            sent.body = undefined;
            releaseContext(contextValue);
          });
        },
      };
    },
  };
}
