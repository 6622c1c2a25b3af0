import { openDatabase, resolveDatabase } from '../db/data-source';
import { nativeSqlite } from '../db/native';
import { createApp } from '../server/app';
import { logger } from '../server/logger';

export async function runServe(o: { db?: string; port?: number }): Promise<void> {
  const dbName = resolveDatabase(o.db);
  const ds = await openDatabase(dbName);
  const port = o.port ?? (process.env.PORT ? Number(process.env.PORT) : 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT=${process.env.PORT} is not a port number`);
  const { httpServer, apollo } = await createApp({
    db: nativeSqlite(ds),
    corsOrigins: process.env.CORS_ORIGINS ? process.env.CORS_ORIGINS.split(',').map((s) => s.trim()) : '*',
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, resolve);
  });
  const addr = httpServer.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  logger.info({ db: dbName, port: actual }, `newsgraph: GraphQL and GraphiQL at http://localhost:${actual}/graphql`);
  const stop = async () => {
    await apollo.stop();
    await ds.destroy();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
