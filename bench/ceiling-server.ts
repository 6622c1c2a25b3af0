/**
 * The in-memory ceiling: the front page (FRONT_PAGE in queries.ts) served by Apollo Server and
 * type-graphql over the product's HTTP stack (Express 5, express.json, @as-integrations/express5,
 * Apollo's default plugins), with trivial resolvers that answer from memory (ceiling-data.ts).
 * Every request is parsed (Apollo keeps parsed documents, as it does for the product), validated
 * and executed; no response is stored. Apollo and graphql-js are set up as the product sets them
 * up: graphql-js in its production mode (serve-child.ts loads it so), no per-field cache
 * control hook (src/server/http-cache.ts), and operations compiled by graphql-jit
 * (src/server/compiled-execution.ts), each response's result let go once sent
 * (src/server/release-after-response.ts). So it costs what Apollo and type-graphql alone cost for
 * this shape, and the product's ratio to it is what our own work (SQL, loaders, limits, caches,
 * logging) leaves of that.
 */
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { Arg, buildSchemaSync, Int, Query, Resolver } from 'type-graphql';
import { DEFAULT_PAGE } from '../src/graphql/relay/page-args';
import { CompiledExecution, DEFAULT_COMPILE, executorGateway } from '../src/server/compiled-execution';
import { releaseAfterResponsePlugin, releaseWhenGone } from '../src/server/release-after-response';
import { CeilingData, pagePosition } from './ceiling-data';
import { CeilingPost, CeilingPostConnection } from './ceiling-types';

@Resolver()
class CeilingQuery {
  constructor(private readonly data: CeilingData) {}

  @Query(() => CeilingPostConnection)
  posts(
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): CeilingPostConnection {
    const { data } = this;
    const limit = first ?? DEFAULT_PAGE;
    const at = pagePosition(data, after);
    const end = Math.min(at + limit, data.ids.length);
    const edges: { cursor: string; node: CeilingPost }[] = [];
    for (let i = at; i < end; i++) {
      const node = data.posts.get(data.ids[i]);
      if (!node) throw new Error(`the ceiling did not preload the page at position ${at}`);
      edges.push({ cursor: node.cursor, node });
    }
    return {
      edges,
      pageInfo: {
        hasNextPage: end < data.ids.length,
        hasPreviousPage: after != null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }
}

/** The ceiling's schema over `data` (its one resolver instance holds it). */
export function ceilingSchema(data: CeilingData): GraphQLSchema {
  const query = new CeilingQuery(data);
  return buildSchemaSync({
    resolvers: [CeilingQuery],
    container: { get: () => query },
    validate: false,
    emitSchemaFile: false,
  });
}

/** Express + Apollo as src/server/app.ts builds them, without our middleware, plugins and database. */
export async function createCeilingApp(data: CeilingData) {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const schema = ceilingSchema(data);
  // The product's executor: operations compiled by graphql-jit after their first run.
  const compiled = new CompiledExecution(schema, DEFAULT_COMPILE);
  const apollo = new ApolloServer({
    gateway: executorGateway(schema, compiled.executor()),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      // As the product: each response's result let go once sent (src/server/release-after-response.ts).
      releaseAfterResponsePlugin(() => {}),
    ],
  });
  await apollo.start();
  app.use(
    '/graphql',
    express.json(),
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        const context = {};
        releaseWhenGone(res, context);
        return context;
      },
    }),
  );
  return { httpServer, apollo };
}
