import { openDatabase, resolveDatabase } from '../db/data-source';
import { nativeSqlite } from '../db/native';
import { createApp } from '../server/app';
import { logger } from '../server/logger';
import { loadManifest } from '../server/persisted';

export interface ServeOptions {
  db?: string;
  port?: number;
  /** Path of a persisted query manifest: only its operations run. */
  persistedOnly?: string;
}

/** Inside a worker of `serve --workers` (serve-workers.ts), the primary migrates, announces and handles signals. */
export interface ServeMode {
  worker?: boolean;
}

/** Starts the server; resolves once it listens, with its port and a way to stop it (used by tests). */
export async function runServe(o: ServeOptions, mode: ServeMode = {}): Promise<{ port: number; close: () => Promise<void> }> {
  // Checked before the database is opened, so a bad manifest fails fast and names the file.
  const manifest = o.persistedOnly ? loadManifest(o.persistedOnly) : undefined;
  const port = o.port ?? (process.env.PORT ? Number(process.env.PORT) : 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT=${process.env.PORT} is not a port number`);
  const dbName = resolveDatabase(o.db);
  const ds = await openDatabase(dbName, { migrate: !mode.worker });
  const { httpServer, apollo } = await createApp({
    db: nativeSqlite(ds),
    corsOrigins: process.env.CORS_ORIGINS ? process.env.CORS_ORIGINS.split(',').map((s) => s.trim()) : '*',
    persistedOnly: manifest,
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, resolve);
  });
  const addr = httpServer.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  if (!mode.worker) logger.info(
    { db: dbName, port: actual, persistedOnly: o.persistedOnly ? { manifest: o.persistedOnly, operations: manifest!.operations.length } : false },
    `newsgraph: GraphQL and GraphiQL at http://localhost:${actual}/graphql`,
  );
  const close = async () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await apollo.stop();
    await ds.destroy();
  };
  const stop = async () => {
    await close();
    process.exit(0);
  };
  if (!mode.worker) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  return { port: actual, close };
}
