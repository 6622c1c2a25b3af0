import type http from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  execute,
  ExecutionArgs,
  getOperationAST,
  GraphQLError,
  GraphQLSchema,
  OperationTypeNode,
  parse,
  specifiedRules,
  subscribe,
  validate,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { ReadStore } from '../db/store';
import { createContext, type Context } from '../graphql/context';
import type { EntityCache } from '../graphql/loaders/entity-cache';
import { type AdmissionGate, SERVER_BUSY } from './admission';
import { PostEvents, type ChangeSource } from '../graphql/live/post-events';
import { envInt } from '../config/env-int';
import type { Metrics } from './metrics';
import { aliasLimitRule, bodyLimitBytes, checkCost, depthLimitRule, type QueryLimits } from './limits';
import { formatError } from './format-error';
import { logger } from './logger';
import { operationTypeRule } from './operation-type-rule';
import type { Manifest, ManifestOperation } from './persisted/manifest';
import { decide } from './persisted/persisted-only';
import { CheckedDocuments } from './document-cache';
import { SharedExecution } from './shared-execution';

export interface LiveOptions {
  source: ChangeSource;
  /** How often to look for new changes, ms; default $NEWSGRAPH_LIVE_POLL_MS, else 250. */
  pollMs?: number;
  /** Subscriptions open at once in this process; default $NEWSGRAPH_MAX_SUBSCRIPTIONS, else 10,000. */
  maxSubscriptions?: number;
  /** Operations one WebSocket connection may hold; default $NEWSGRAPH_MAX_SUBSCRIPTIONS_PER_CONNECTION, else 20. */
  maxPerConnection?: number;
}

export interface SubscriptionOptions {
  schema: GraphQLSchema;
  store: ReadStore;
  events: PostEvents;
  limits: QueryLimits;
  /** Only these documents run (persisted-only mode), as over HTTP. */
  manifest?: Manifest;
  /** Operations one connection may hold open at once. */
  maxPerConnection: number;
  /** The server's names of categories, tags, stocks, ... (shared with its HTTP requests); else each operation's own. */
  names?: EntityCache;
  /** The slots HTTP requests wait for: queries and mutations over WebSocket wait for the same. */
  admission: AdmissionGate;
}

const refuse = (message: string, code: string) => [new GraphQLError(message, { extensions: { code } })];
const busy = () => ({ errors: refuse(SERVER_BUSY.message, SERVER_BUSY.code) });

/**
 * GraphQL over WebSocket (the graphql-ws protocol: Apollo Client, urql and GraphiQL speak it) on
 * the HTTP server's `/graphql`: subscriptions, and queries too. Every operation meets the limits
 * HTTP requests meet: persisted-only mode, token count, depth, aliases and cost, plus a cap on the
 * operations of one connection; the cap on all subscriptions is the event hub's. Queries and
 * mutations also wait for the process's execution slots (admission.ts), as HTTP requests do.
 */
export function attachSubscriptions(httpServer: http.Server, o: SubscriptionOptions): { close: () => Promise<void> } {
  // A message is a request body: the same bound as HTTP's (ws allows 100 MiB by default).
  const wss = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: bodyLimitBytes(o.limits.bodyLimit),
  });
  const byId = o.manifest ? new Map(o.manifest.operations.map((op): [string, ManifestOperation] => [op.id, op])) : null;
  const rules = [
    ...specifiedRules,
    operationTypeRule,
    depthLimitRule(o.limits.maxDepth),
    aliasLimitRule(o.limits.maxAliases),
  ];
  const shared = new SharedExecution();
  const documents = new CheckedDocuments((text) => {
    let document;
    try {
      document = parse(text, { maxTokens: o.limits.maxTokens });
    } catch (e) {
      return refuse((e as Error).message, 'GRAPHQL_PARSE_FAILED');
    }
    const invalid = validate(o.schema, document, rules);
    return invalid.length ? invalid : document;
  });
  /** What an operation's result depends on, by the arguments onSubscribe made for it. */
  const keys = new WeakMap<ExecutionArgs, string>();
  const server = useServer(
    {
      schema: o.schema,
      execute: (args) => o.admission.run(() => execute(args), busy),
      // One execution per event for subscriptions of the same document and variables.
      subscribe: (args) => {
        const key = keys.get(args);
        return key === undefined ? subscribe(args) : shared.subscribe(args, key);
      },
      onSubscribe: (ctx, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
        if (Object.keys(ctx.subscriptions).length > o.maxPerConnection)
          return refuse(
            `a connection may hold at most ${o.maxPerConnection} operations at once`,
            'TOO_MANY_SUBSCRIPTIONS',
          );
        let text = payload.query;
        if (byId) {
          const d = decide({ query: payload.query, extensions: payload.extensions }, byId);
          if (d.kind === 'refuse') return refuse(d.message, d.code);
          if (d.kind === 'pass')
            return refuse('this server runs only persisted documents', 'PERSISTED_QUERY_NOT_ALLOWED');
          text = d.op.body;
        }
        const document = documents.get(text);
        if (!('kind' in document)) return document;
        if (!getOperationAST(document, payload.operationName))
          return refuse('the document has no operation of that name, or several and no name', 'BAD_REQUEST');
        try {
          checkCost(o.schema, o.limits.maxCost, document, payload.operationName, payload.variables);
        } catch (e) {
          if (e instanceof GraphQLError) return [e];
          // Anything else would close the whole connection (graphql-ws takes it for a bad hook).
          logger.error({ err: (e as Error).message }, 'subscription refused: the limits check failed');
          return refuse('internal error', 'INTERNAL_SERVER_ERROR');
        }
        const contextValue: Context = {
          ...createContext(o.store.runner(), o.names?.view()),
          live: {
            events: o.events,
            // Each event reads afresh: a new view checks the names against the data version again.
            refresh: () => Object.assign(contextValue, createContext(o.store.runner(), o.names?.view())),
          },
        };
        const args: ExecutionArgs = {
          schema: o.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
        keys.set(args, JSON.stringify([text, payload.operationName ?? null, payload.variables ?? null]));
        return args;
      },
      // The same masking as HTTP responses: what is not the client's reads `internal error`.
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) } : result,
      onError: (_ctx, _id, _payload, errors) => {
        logger.warn({ errors: errors.map((e) => e.message) }, 'subscription failed');
      },
    },
    wss,
  );
  // A socket's error is the client's (a message over the size limit, a reset): ws closes the socket
  // itself (1009 for the size). graphql-ws would print it with its stack to stderr for every such
  // message, so a client could fill the log; it becomes one log line instead. This listener runs
  // after graphql-ws's own for the same connection, so its error handler is in place to be replaced.
  wss.on('connection', (socket) => {
    socket.removeAllListeners('error');
    socket.on('error', (err: Error & { code?: string }) => {
      logger.info({ err: err.message, code: err.code }, 'WebSocket connection closed on a client error');
    });
  });
  return {
    close: async () => {
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Over HTTP a subscription would run once and end: it is refused, naming where subscriptions are. */
export const httpRefusesSubscriptions: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === OperationTypeNode.SUBSCRIPTION)
          throw new GraphQLError(
            'subscriptions are served over WebSocket (the graphql-ws protocol) at this same URL, not over HTTP',
            { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
          );
      },
    };
  },
};

/**
 * Follows the change feed (`live.source`) for this process's subscriptions and serves them over
 * WebSocket on `httpServer`; resolves with the function that ends both.
 */
export async function startSubscriptions(
  httpServer: http.Server,
  live: LiveOptions,
  o: Omit<SubscriptionOptions, 'events' | 'maxPerConnection'> & { metrics: Metrics | null },
): Promise<() => Promise<void>> {
  const env = process.env;
  const events = new PostEvents({
    source: live.source,
    runner: () => o.store.runner(),
    dataVersion: () => o.store.dataVersion(),
    pollMs: live.pollMs ?? envInt(env, 'NEWSGRAPH_LIVE_POLL_MS', 250, 1),
    // PostgreSQL says when an import commits (any process, any machine): no wait for the next poll.
    listen: o.store.listen,
    maxSubscriptions: live.maxSubscriptions ?? envInt(env, 'NEWSGRAPH_MAX_SUBSCRIPTIONS', 10_000, 0),
    queueLength: 1000,
    onError: (err) => logger.warn({ err }, 'reading the change feed failed; retrying'),
  });
  await events.start();
  o.metrics?.live(events, () => live.source.head(o.store.runner()));
  const ws = attachSubscriptions(httpServer, {
    ...o,
    events,
    maxPerConnection: live.maxPerConnection ?? envInt(env, 'NEWSGRAPH_MAX_SUBSCRIPTIONS_PER_CONNECTION', 20, 1),
  });
  return async () => {
    await events.stop();
    await ws.close();
  };
}
