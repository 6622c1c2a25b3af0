/**
 * Preloaded into `newsgraph serve` by pg-compare.ts (`node -r dist/bench/pg-count.js bin/newsgraph.js
 * serve …`): counts the statements the server sends to PostgreSQL at the pg driver, the same place
 * bench/postgraphile/server.js counts PostGraphile's, so both figures mean "round trips on the wire"
 * whatever layer (TypeORM, a runner, a pool) issues them. Answers the IPC message 'pg-count' with
 * { statements, ports }: ports are the local ports of its connections, to find their backends.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pg = require('pg') as typeof import('pg');

let statements = 0;
const ports = new Set<number>();
// eslint-disable-next-line @typescript-eslint/unbound-method -- wrapped below, and always called with its client as `this` (query.apply(this, …))
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;

(pg.Client.prototype as unknown as { query: unknown }).query = function countedQuery(
  this: { connection?: { stream?: { localPort?: number } } },
  ...args: unknown[]
) {
  statements++;
  const port = this.connection?.stream?.localPort;
  if (port) ports.add(port);
  return query.apply(this, args);
};

process.on('message', (m) => {
  if (m === 'pg-count') process.send?.({ statements, ports: [...ports] });
});
