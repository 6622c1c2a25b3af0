import { HeaderMap, type ApolloServerPlugin, type BaseContext, type GraphQLRequestContext } from '@apollo/server';
import { OperationTypeNode } from 'graphql';

/** How long a request waits for an identical one in flight before it executes itself. */
const MAX_WAIT_MS = 2000;

/** What Apollo's response cache plugin stores under a key (JSON). */
interface Stored {
  data: Record<string, unknown>;
  cachePolicy: Parameters<GraphQLRequestContext<BaseContext>['overallCachePolicy']['replace']>[0];
  cacheTime: number;
}

/**
 * After a batch drops an answer, every connection asking for it misses at once (the head page:
 * most of a site's requests) and each would execute it. Coalescing: a request that misses while an
 * identical one (same cache key) executes waits for that one and answers with what it stored; if
 * nothing was stored (an error, or a batch came in between: see BatchInvalidation.generation) or
 * the wait is too long, it executes after all. Must come after the response cache plugin, which
 * computes the key (`keyOf`) and answers hits first.
 */
export function requestCoalescing<TContext extends BaseContext>(
  keyOf: (ctx: TContext) => string | undefined,
  stored: (key: string) => Promise<string | undefined>,
): ApolloServerPlugin<TContext> {
  const inFlight = new Map<string, Promise<void>>();
  return {
    async requestDidStart() {
      let done: (() => void) | null = null;
      return {
        async responseForOperation(rc) {
          const key = keyOf(rc.contextValue);
          if (key === undefined || rc.operation?.operation !== OperationTypeNode.QUERY) return null;
          const leader = inFlight.get(key);
          if (!leader) {
            // Ends when this request's answer is out, or after MAX_WAIT_MS whatever became of it.
            const ended = new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, MAX_WAIT_MS);
              timer.unref();
              done = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            inFlight.set(
              key,
              ended.finally(() => inFlight.delete(key)),
            );
            return null;
          }
          await leader;
          const text = await stored(key);
          if (text === undefined) return null;
          const value = JSON.parse(text) as Stored;
          rc.overallCachePolicy.replace(value.cachePolicy);
          // A hit as far as the response cache plugin is concerned: it stores nothing again.
          rc.metrics.responseCacheHit = true;
          return {
            body: { kind: 'single', singleResult: { data: value.data } },
            http: { status: undefined, headers: new HeaderMap() },
          };
        },
        async willSendResponse() {
          // Apollo runs the plugins' hooks side by side: by the next turn the response cache plugin
          // has stored the answer (if it may).
          if (done) setImmediate(done);
        },
      };
    },
  };
}
