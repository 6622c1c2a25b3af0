// First: graphql-js must load in its production mode (see the file).
import './graphql-production-mode';
import http from 'node:http';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import cors from 'cors';
import express, { ErrorRequestHandler, RequestHandler } from 'express';
import type { ReadStore } from '../db/store';
import { Context, createContext, createLoggedContext, releaseContext } from '../graphql/context';
import { EntityCache } from '../graphql/loaders/entity-cache';
import { buildNewsgraphSchema } from '../graphql/schema';
import { CompiledExecution, compileOptionsFromEnv, CompileOptions, executorGateway } from './compiled-execution';
import { feedsRouter, type FeedOptions } from './feeds/feeds-router';
import { graphiqlRouter } from './graphiql';
import { cacheMaxAgeFromEnv, httpCachePlugins, noStoreByDefault } from './http-cache';
import { admission, admissionFromEnv, AdmissionGate } from './admission';
import { aliasLimitRule, costLimitPlugin, depthLimitRule, limitsFromEnv, QueryLimits } from './limits';
import { logger } from './logger';
import { FacetIndex, facetIndexMbFromEnv } from '../db/queries/facet-index';
import { operationTypeRule } from './operation-type-rule';
import { clusterMetricsText } from './cluster-metrics';
import type { Registry } from 'prom-client';
import { createMetrics, metricsFromEnv } from './metrics';
import { readiness } from './readiness';
import { onResponseGone, releaseAfterResponsePlugin, releaseWhenGone } from './release-after-response';
import { responseCache, responseCacheMbFromEnv, responseCacheMinUsesFromEnv } from './response-cache';
import { formatError } from './format-error';
import { httpRefusesSubscriptions, startSubscriptions, type LiveOptions } from './subscriptions';
import { sendGraphQLError } from './graphql-error';
import { persistedGetPassesCsrf } from './persisted/csrf';
import { BoundedLruCache } from './persisted/lru-cache';
import { parseManifest, type Manifest, type PersistedDocuments } from './persisted/manifest';
import { persistedOnlyMiddleware } from './persisted/persisted-only';

export interface AppOptions {
  /** The database, read-only: the server never writes. */
  store: ReadStore;
  /** Origins allowed by CORS; default: any. */
  corsOrigins?: string[] | '*';
  limits?: QueryLimits;
  /** GraphQL requests executed at once, and how many may wait (see admission.ts). */
  admission?: { concurrency: number; maxQueue: number };
  /** Introspection and field suggestions; default: on unless NODE_ENV=production. */
  introspection?: boolean;
  /**
   * Run only these trusted documents (APQ is then off): an Apollo persisted query manifest, or the
   * client preset's persisted-documents map (`{ "sha256:<hex>": "<document>" }`); default: any document.
   */
  persistedOnly?: Manifest | PersistedDocuments;
  /** `max-age` of successful GET responses, in seconds; default: $GRAPHQL_CACHE_MAX_AGE, else 60. */
  cacheMaxAge?: number;
  /** Memory for whole cached responses, in MiB (0: off); default: $GRAPHQL_RESPONSE_CACHE_MB, else 64. */
  responseCacheMb?: number;
  /** The most memory the facet columns may take, in MB (0: facets count in SQL); default NEWSGRAPH_FACET_INDEX_MB or 256. */
  facetIndexMb?: number;
  /** Times a response is asked for before it is stored; default: $GRAPHQL_RESPONSE_CACHE_MIN_USES, else 2. */
  responseCacheMinUses?: number;
  /** Size of the automatic persisted query store (UTF-8 bytes of hashes and documents); default 8 MiB. */
  apqCacheBytes?: number;
  /** Prometheus metrics at /metrics; default: $NEWSGRAPH_METRICS, else off. */
  metrics?: boolean;
  /** Metrics kept outside the server (the archive watcher's), served with its own at /metrics. */
  moreMetrics?: Registry;
  /** This process is a worker of `serve --workers`: /metrics answers for every worker (asked of the primary). */
  clusterWorker?: boolean;
  /** More checks for /readyz by name (each throws when not ready), besides the database and its migrations. */
  readiness?: Record<string, () => Promise<void>>;
  /** GraphQL subscriptions over WebSocket at /graphql, fed by this change source; default: none. */
  live?: LiveOptions;
  /** When queries are compiled (compiled-execution.ts); default: $GRAPHQL_COMPILE_AFTER, else after one run. */
  compile?: CompileOptions;
  /** Feeds (/feeds/...) and /sitemap.xml: the site base of their links, their titles' start, sitemap size. */
  feeds?: Omit<FeedOptions, 'maxAge'>;
}

/** What reaches the error handler: body-parser's errors (http-errors) carry a status and a type; others are a 500. */
interface RequestError {
  status?: unknown;
  message: string;
  type?: string;
}

/** Refuses a batched request with more operations than allowed, before any of them runs. */
function batchLimit(max: number): RequestHandler {
  return (req, res, next) => {
    if (Array.isArray(req.body) && req.body.length > max) {
      sendGraphQLError(
        req,
        res,
        400,
        `a batch may hold at most ${max} operations, got ${req.body.length}`,
        'BATCH_TOO_LARGE',
      );
      return;
    }
    next();
  };
}

/** One log line per operation: name, duration, SQL statements, errors. */
const requestLog: ApolloServerPlugin<Context> = {
  async requestDidStart({ request }) {
    const started = process.hrtime.bigint();
    return {
      async willSendResponse({ contextValue, errors, operationName }) {
        logger.info(
          {
            op: operationName ?? request.operationName ?? null,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
            sql: contextValue.run.statements,
            errors: errors?.map((e) => e.message),
          },
          'graphql',
        );
      },
    };
  },
};

export async function createApp(opts: AppOptions) {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const limits = opts.limits ?? limitsFromEnv();
  const adm = opts.admission ?? admissionFromEnv();
  const gate = new AdmissionGate(adm.concurrency, adm.maxQueue);
  const introspection =
    opts.introspection ?? (process.env.NODE_ENV !== 'production' || process.env.GRAPHQL_INTROSPECTION === 'true');
  const cacheMaxAge = opts.cacheMaxAge ?? cacheMaxAgeFromEnv();
  const responseCacheMb = opts.responseCacheMb ?? responseCacheMbFromEnv();
  // Checked (and a persisted-documents map normalized) before Apollo starts, so a bad manifest leaks nothing.
  const manifest = opts.persistedOnly ? parseManifest(opts.persistedOnly) : undefined;
  const persistedOnly = manifest ? persistedOnlyMiddleware(manifest) : undefined;
  const { store } = opts;
  // Names of categories, tags, stocks, ... shared by requests until an import commits.
  const names = new EntityCache(() => store.dataVersion());
  // Facets of a set counted in memory: built on the first postFacets, then kept by the change feed.
  const facets = new FacetIndex(() => store.runner(), {
    maxBytes: (opts.facetIndexMb ?? facetIndexMbFromEnv()) * 1048576,
    onError: (err) => logger.warn({ err }, 'facet columns: facets count in SQL for now'),
  });
  const schema = buildNewsgraphSchema();
  // Set once subscriptions run: Apollo's stop (drain) ends them with the HTTP server.
  let stopLive: (() => Promise<void>) | null = null;
  const metrics = (opts.metrics ?? metricsFromEnv()) ? createMetrics({ responseCache: responseCacheMb > 0 }) : null;
  metrics?.facets(() => facets.stats());
  const responses = responseCache<Context>(
    responseCacheMb,
    store,
    opts.responseCacheMinUses ?? responseCacheMinUsesFromEnv(),
  );
  const compiled = new CompiledExecution(schema, opts.compile ?? compileOptionsFromEnv());
  const apollo = new ApolloServer<Context>({
    gateway: executorGateway(schema, compiled.executor()),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { serverWillStart: async () => ({ drainServer: async () => stopLive?.() }) },
      ApolloServerPluginLandingPageDisabled(),
      requestLog,
      httpRefusesSubscriptions,
      ...(metrics ? [metrics.plugin] : []),
      costLimitPlugin(schema, limits.maxCost),
      ...httpCachePlugins(cacheMaxAge),
      ...responses.plugins,
      releaseAfterResponsePlugin<Context>(releaseContext),
    ],
    validationRules: [operationTypeRule, depthLimitRule(limits.maxDepth), aliasLimitRule(limits.maxAliases)],
    parseOptions: { maxTokens: limits.maxTokens },
    allowBatchedHttpRequests: limits.maxBatch > 1,
    introspection,
    formatError,
    includeStacktraceInErrorResponses: false,
    // "Did you mean …" suggestions reveal the schema where introspection is off.
    hideSchemaDetailsFromClientErrors: !introspection,
    // GET and other requests without a non-simple content type need a preflight-forcing header
    // (persistedGetPassesCsrf lets hash-only persisted GETs through; see docs/security.md).
    csrfPrevention: true,
    // APQ with its own bounded LRU; off when only manifest documents may run.
    persistedQueries: manifest ? false : { cache: new BoundedLruCache(opts.apqCacheBytes) },
  });
  await apollo.start();
  if (opts.live) {
    stopLive = await startSubscriptions(httpServer, opts.live, {
      schema,
      store,
      limits,
      manifest,
      metrics,
      names,
      admission: gate,
    });
  }

  app.get('/healthz', async (_req, res) => {
    try {
      await store.ping();
      res.json({ status: 'ok' });
    } catch (err) {
      res.status(503).json({ status: 'error', error: (err as Error).message });
    }
  });
  app.get('/readyz', async (_req, res) => {
    const { ready, checks } = await readiness(store, opts.readiness);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  if (metrics) {
    const more = opts.moreMetrics;
    const text = opts.clusterWorker
      ? clusterMetricsText(metrics.registry)
      : async () => (await metrics.registry.metrics()) + (more ? await more.metrics() : '');
    app.get('/metrics', async (_req, res) => {
      try {
        const body = await text();
        res.setHeader('Cache-Control', 'no-store');
        res.type(metrics.registry.contentType).send(body);
      } catch (err) {
        logger.error({ err }, 'metrics failed');
        res
          .status(503)
          .type('text/plain')
          .send(`metrics unavailable: ${(err as Error).message}\n`);
      }
    });
  }
  app.use(feedsRouter(store, { ...opts.feeds, maxAge: cacheMaxAge }));
  // CORS first: it answers preflights (OPTIONS), which the GraphiQL route would otherwise answer
  // with a bare `Allow: GET, HEAD` and no Access-Control-* headers, failing cross-origin POSTs.
  app.use('/graphql', cors(opts.corsOrigins && opts.corsOrigins !== '*' ? { origin: opts.corsOrigins } : undefined));
  app.use(graphiqlRouter('/graphql', { manifest, schema }));
  app.use(
    '/graphql',
    noStoreByDefault,
    express.json({ limit: limits.bodyLimit }),
    batchLimit(limits.maxBatch),
    admission(gate),
    persistedGetPassesCsrf(!!manifest),
    ...(persistedOnly ? [persistedOnly] : []),
    // With the response cache on, loaders log what they read: it decides which batches drop an answer.
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        const ctx = (responses.invalidation ? createLoggedContext : createContext)(
          store.runner(),
          names.view(),
          facets,
        );
        releaseWhenGone(res, ctx);
        onResponseGone(ctx, () => releaseContext(ctx));
        return ctx;
      },
    }),
  );
  // Body parser errors (too large, malformed JSON) answer in GraphQL's error shape, not HTML.
  app.use(((err: RequestError, req, res, _next) => {
    const status = typeof err?.status === 'number' ? err.status : 500;
    if (status >= 500) logger.error({ err }, 'request failed');
    sendGraphQLError(req, res, status, status >= 500 ? 'internal error' : err.message, err.type ?? 'BAD_REQUEST');
  }) as ErrorRequestHandler);
  return { app, httpServer, apollo, responseCache: responses.invalidation, compiled, admission: gate, facets };
}
