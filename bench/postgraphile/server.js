'use strict';
/**
 * PostGraphile 4 over newsgraph's PostgreSQL tables, the baseline of bench/pg-compare.ts.
 *
 *   DATABASE_URL=postgres://… node bench/postgraphile/server.js --schema NAME [--port N]
 *
 * Prints `postgraphile: http://127.0.0.1:PORT/graphql` once it listens. GET /stats answers
 * {statements, requests, ports}: SQL statements sent to PostgreSQL (every client.query of the pool),
 * GraphQL requests served since start (so the bench can take the statements of one request), and
 * the local ports of the pool's connections.
 *
 * newsgraph's schema has no foreign keys (it is shared with SQLite, where it keeps none either), so
 * the relations PostGraphile would infer from them are declared as smart tags here instead: the
 * product schema stays as it is.
 */
const http = require('node:http');
const { Pool } = require('pg');
const { postgraphile, makeJSONPgSmartTagsPlugin } = require('postgraphile');
const ConnectionFilterPlugin = require('postgraphile-plugin-connection-filter');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const fk = (col, table) => `(${col}) references ${table} (id)`;
// Field names keep PostGraphile's default inflection (postByPostId, stockByStockId, …) except the
// publisher, whose default name (organizationByPublisherId) hides what it is.
const tags = {
  version: 1,
  config: {
    class: {
      post: {
        tags: {
          foreignKey: `${fk('publisher_id', 'organization')}|@fieldName publisher|@foreignFieldName publishedPosts`,
        },
      },
      // PostGraphile 4 reads unique constraints, not unique indexes: ux_stock_symbol needs stating.
      stock: { tags: { unique: 'symbol', foreignKey: fk('organization_id', 'organization') } },
      post_category: { tags: { foreignKey: [fk('post_id', 'post'), fk('category_id', 'category')] } },
      post_tag: { tags: { foreignKey: [fk('post_id', 'post'), fk('tag_id', 'tag')] } },
      post_stock: { tags: { foreignKey: [fk('post_id', 'post'), fk('stock_id', 'stock')] } },
      post_board: { tags: { foreignKey: [fk('post_id', 'post'), fk('board_id', 'board')] } },
      post_organization: { tags: { foreignKey: [fk('post_id', 'post'), fk('organization_id', 'organization')] } },
    },
  },
};

const stats = { statements: 0, requests: 0, ports: [] };
// newsgraph's pool holds 10 connections too (src/db/postgres.ts).
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.PG_POOL_MAX || 10),
  application_name: 'newsgraph-bench-postgraphile',
});
// Counting at the client rather than the pool: PostGraphile checks out a client and queries it.
// The local port of each connection lets the bench find its PostgreSQL backends (for their CPU).
pool.on('connect', (client) => {
  const port = client.connection && client.connection.stream && client.connection.stream.localPort;
  if (port) stats.ports.push(port);
  const query = client.query;
  client.query = function countedQuery(...args) {
    stats.statements++;
    return query.apply(this, args);
  };
});

const schema = arg('--schema', 'public');
const port = Number(arg('--port', '0'));
const graphql = postgraphile(pool, schema, {
  appendPlugins: [makeJSONPgSmartTagsPlugin(tags), ConnectionFilterPlugin],
  // Only what a read-only production deployment would run: no mutations, no GraphiQL, no watch
  // mode, no per-query log line (newsgraph runs with LOG_LEVEL=silent in the bench too).
  disableDefaultMutations: true,
  graphiql: false,
  watchPg: false,
  disableQueryLog: true,
  ignoreRBAC: false,
  setofFunctionsContainNulls: false,
  retryOnInitFail: false,
  graphileBuildOptions: { connectionFilterAllowedOperators: ['greaterThanOrEqualTo', 'lessThanOrEqualTo', 'equalTo'] },
});

const server = http.createServer((req, res) => {
  if (req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(stats));
    return;
  }
  if (req.url === '/graphql') stats.requests++;
  graphql(req, res);
});
server.keepAliveTimeout = 60_000;

// The schema is built lazily on the first request otherwise; build it now so "ready" means ready.
graphql.getGraphQLSchema().then(
  () => {
    stats.statements = 0; // introspection is not a request's cost
    server.listen(port, '127.0.0.1', () => {
      process.stdout.write(`postgraphile: http://127.0.0.1:${server.address().port}/graphql\n`);
    });
  },
  (err) => {
    process.stderr.write(`postgraphile: ${err.stack || err}\n`);
    process.exit(1);
  },
);

const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
