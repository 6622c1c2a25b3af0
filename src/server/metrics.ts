import type { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, Kind, OperationTypeNode } from 'graphql';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { envFlag } from '../config/env-int';

/** `NEWSGRAPH_METRICS=1` (or `serve --metrics`) serves Prometheus metrics at /metrics; off by default. */
export function metricsFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return envFlag(env, 'NEWSGRAPH_METRICS');
}

/** Operation names come from clients: labels take at most this many distinct ones. */
export const MAX_OPERATION_LABELS = 100;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The `operation` label of a request. A client chooses its operation names, and every distinct
 * label value is a time series kept forever, so the first MAX_OPERATION_LABELS well-formed names
 * are kept and any other reads `(other)`; a request without a name reads `(anonymous)`.
 */
export class OperationLabels {
  private readonly seen = new Set<string>();

  constructor(private readonly max = MAX_OPERATION_LABELS) {}

  of(name: string | null | undefined): string {
    if (!name) return '(anonymous)';
    if (this.seen.has(name)) return name;
    if (!NAME.test(name) || this.seen.size >= this.max) return '(other)';
    this.seen.add(name);
    return name;
  }
}

/** The name of a document's only operation: what a request that failed validation was called. */
function soleOperationName(document: DocumentNode | undefined): string | undefined {
  const ops = document?.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION) ?? [];
  return ops.length === 1 ? ops[0].name?.value : undefined;
}

export interface Metrics {
  registry: Registry;
  /** Counts and times every GraphQL operation (add to Apollo's plugins). */
  plugin: ApolloServerPlugin;
  /** Adds the live side: subscriptions open, the change feed's head and how far this process has read it. */
  live: (events: { open: number; position: number }, head: () => Promise<number>) => void;
  /** Adds the facet columns: the memory they take, and the builds and sets counted so far. */
  facets: (stats: () => { bytes: number; builds: number; sets: number }) => void;
}

/**
 * The server's metrics, in a registry of its own (tests build many servers in one process):
 * requests, latency and errors per operation name, response-cache hits and misses, and Node's
 * process metrics (CPU, memory, event-loop lag, GC).
 */
export function createMetrics(opts: { responseCache: boolean }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'newsgraph_' });
  const labels = new OperationLabels();
  const requests = new Counter({
    name: 'newsgraph_graphql_requests_total',
    help: 'GraphQL operations answered, by operation name and outcome (ok, error)',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'newsgraph_graphql_request_duration_seconds',
    help: 'Time from the start of a GraphQL operation to its response, by operation name',
    labelNames: ['operation'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'newsgraph_graphql_errors_total',
    help: 'GraphQL errors in responses, by operation name and error code',
    labelNames: ['operation', 'code'],
    registers: [registry],
  });
  const cache = new Counter({
    name: 'newsgraph_response_cache_requests_total',
    help: 'Queries looked up in the whole-response cache, by result (hit, miss)',
    labelNames: ['result'],
    registers: [registry],
  });
  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, request, errors: failed, metrics, operation, document }) {
          const operationLabel = labels.of(operationName ?? request.operationName ?? soleOperationName(document));
          seconds.observe({ operation: operationLabel }, Number(process.hrtime.bigint() - started) / 1e9);
          requests.inc({ operation: operationLabel, outcome: failed?.length ? 'error' : 'ok' });
          for (const e of failed ?? []) {
            const code = typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL_SERVER_ERROR';
            errors.inc({ operation: operationLabel, code });
          }
          // Set by the response cache plugin for every query it looked up.
          if (
            opts.responseCache &&
            operation?.operation === OperationTypeNode.QUERY &&
            metrics.responseCacheHit !== undefined
          )
            cache.inc({ result: metrics.responseCacheHit ? 'hit' : 'miss' });
        },
      };
    },
  };
  const live: Metrics['live'] = (events, head) => {
    new Gauge({
      name: 'newsgraph_subscriptions_open',
      help: 'GraphQL subscriptions open in this process',
      registers: [registry],
      collect() {
        this.set(events.open);
      },
    });
    new Gauge({
      name: 'newsgraph_change_feed_head',
      help: 'The last sequence number of the change feed (the newest change any import made)',
      registers: [registry],
      aggregator: 'max',
      async collect() {
        this.set(await head());
      },
    });
    new Gauge({
      name: 'newsgraph_change_feed_lag',
      help: 'Changes of the feed this process has not yet read for its subscribers',
      registers: [registry],
      aggregator: 'max',
      async collect() {
        this.set(Math.max(0, (await head()) - events.position));
      },
    });
  };
  const facets: Metrics['facets'] = (stats) => {
    const gauge = (name: string, help: string, value: (s: ReturnType<typeof stats>) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(value(stats()));
        },
      });
    gauge(
      'newsgraph_facet_columns_bytes',
      'Memory the facet columns take in this process (0: not built)',
      (s) => s.bytes,
    );
    gauge(
      'newsgraph_facet_columns_builds',
      'Times this process has read its facet columns from scratch',
      (s) => s.builds,
    );
    gauge('newsgraph_facet_sets_counted', 'postFacets sets this process counted with its facet columns', (s) => s.sets);
  };
  return { registry, plugin, live, facets };
}
