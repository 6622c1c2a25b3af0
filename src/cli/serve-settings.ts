// What `serve` and `serve --workers` (whose primary never loads the server code) share.
import { redact, resolveDatabase } from '../db/data-source';
import { replicaUrlsFromEnv } from '../db/postgres';
import { logger } from '../server/logger';
import { loadManifest, Manifest } from '../server/persisted/manifest';
import type { WatchOptions } from './watch-options';
import { UsageError } from '../config/usage-error';
import { parsePort } from './port';

export interface ServeOptions extends WatchOptions {
  db?: string;
  port?: number;
  /** Path of an Apollo persisted query manifest or a client preset persisted-documents.json: only its operations run. */
  persistedOnly?: string;
  /** Prometheus metrics at /metrics (default: $NEWSGRAPH_METRICS). */
  metrics?: boolean;
  /** Archives to import and follow in a child process (`serve --watch`), and how. */
  watch?: string[];
  /** URLs the change feed is delivered to (`--webhook`, signed with NEWSGRAPH_WEBHOOK_SECRET). */
  webhook?: string[];
  /** Base of the posts' permalinks in feeds and the sitemap (default: $NEWSGRAPH_SITE_URL). */
  siteUrl?: string;
}

/** An absolute http(s) URL without a trailing slash, or an error naming where it came from. */
export function siteUrlOf(raw: string | undefined, from: string): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UsageError(`${from}: not an absolute URL (got ${JSON.stringify(raw)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${from}: must be an http or https URL (got ${JSON.stringify(raw)})`);
  if (url.search || url.hash) throw new UsageError(`${from}: no query or fragment (got ${JSON.stringify(raw)})`);
  return url.href.replace(/\/+$/, '');
}

/** `serve`'s settings, checked before the database is opened, so a bad manifest or port fails fast and names it. */
export function serveSettings(o: ServeOptions): {
  manifest: Manifest | undefined;
  port: number;
  dbName: string;
  siteUrl: string | undefined;
} {
  const manifest = o.persistedOnly ? loadManifest(o.persistedOnly) : undefined;
  const siteUrl =
    o.siteUrl !== undefined
      ? siteUrlOf(o.siteUrl, '--site-url')
      : siteUrlOf(process.env.NEWSGRAPH_SITE_URL, 'NEWSGRAPH_SITE_URL');
  const env = process.env.PORT;
  const port = o.port ?? (env === undefined || env === '' ? 4000 : parsePort(env));
  if (port === undefined) throw new UsageError(`PORT=${JSON.stringify(env)}: expected a port number (0-65535)`);
  return { manifest, port, dbName: resolveDatabase(o.db), siteUrl };
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
