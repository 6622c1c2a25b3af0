import http from 'node:http';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Database } from 'better-sqlite3';
import cors from 'cors';
import express from 'express';
import { runnerFactory } from '../db/sql-runner';
import { Context, createContext } from '../graphql/context';
import { buildNewsgraphSchema } from '../graphql/schema';
import { graphiqlRouter } from './graphiql';
import { logger } from './logger';

export interface AppOptions {
  db: Database;
  /** Origins allowed by CORS; default: any. */
  corsOrigins?: string[] | '*';
  bodyLimit?: string;
}

/** One log line per operation: name, duration, SQL statements, errors. */
const requestLog: ApolloServerPlugin<Context> = {
  async requestDidStart({ request }) {
    const started = process.hrtime.bigint();
    return {
      async willSendResponse({ contextValue, errors, operationName }) {
        logger.info({
          op: operationName ?? request.operationName ?? null,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          sql: contextValue.run.statements,
          errors: errors?.map((e) => e.message),
        }, 'graphql');
      },
    };
  },
};

export async function createApp(opts: AppOptions) {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<Context>({
    schema: buildNewsgraphSchema(),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), requestLog],
    introspection: true,
  });
  await apollo.start();
  const newRunner = runnerFactory(opts.db);

  app.get('/healthz', (_req, res) => {
    try {
      opts.db.prepare('SELECT 1').get();
      res.json({ status: 'ok' });
    } catch (err) {
      res.status(503).json({ status: 'error', error: (err as Error).message });
    }
  });
  app.use(graphiqlRouter('/graphql'));
  app.use(
    '/graphql',
    cors(opts.corsOrigins && opts.corsOrigins !== '*' ? { origin: opts.corsOrigins } : undefined),
    express.json({ limit: opts.bodyLimit ?? '100kb' }),
    expressMiddleware(apollo, { context: async () => createContext(newRunner()) }),
  );
  return { app, httpServer, apollo };
}
