// What `serve` and `serve --workers` (whose primary never loads the server code) share.
import { redact, resolveDatabase } from '../db/data-source';
import { replicaUrlsFromEnv } from '../db/postgres';
import { logger } from '../server/logger';
import { loadManifest, Manifest } from '../server/persisted/manifest';
import type { WatchOptions } from './watch-options';

export interface ServeOptions extends WatchOptions {
  db?: string;
  port?: number;
  /** Path of a persisted query manifest: only its operations run. */
  persistedOnly?: string;
  /** Prometheus metrics at /metrics (default: $NEWSGRAPH_METRICS). */
  metrics?: boolean;
  /** Archives to import and follow in a child process (`serve --watch`), and how. */
  watch?: string[];
  /** URLs the change feed is delivered to (`--webhook`, signed with NEWSGRAPH_WEBHOOK_SECRET). */
  webhook?: string[];
}

/** `serve`'s settings, checked before the database is opened, so a bad manifest or port fails fast and names it. */
export function serveSettings(o: ServeOptions): { manifest: Manifest | undefined; port: number; dbName: string } {
  const manifest = o.persistedOnly ? loadManifest(o.persistedOnly) : undefined;
  const port = o.port ?? (process.env.PORT ? Number(process.env.PORT) : 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT=${process.env.PORT} is not a port number`);
  return { manifest, port, dbName: resolveDatabase(o.db) };
}

/** The one line that says where the server answers (`extra`: e.g. the worker pids). */
export function announceServing(
  o: ServeOptions,
  manifest: Manifest | undefined,
  dbName: string,
  port: number,
  extra: Record<string, unknown> = {},
): void {
  logger.info(
    {
      db: redact(dbName),
      replicas: replicaUrlsFromEnv().map(redact),
      port,
      ...extra,
      persistedOnly: o.persistedOnly ? { manifest: o.persistedOnly, operations: manifest!.operations.length } : false,
      watch: o.watch?.length ? o.watch : false,
    },
    `newsgraph: GraphQL and GraphiQL at http://localhost:${port}/graphql`,
  );
}
